import HooklineCore
import HooklineStore

/// Placements as pages show them: the place in people's terms with a link to it, and the moment.
struct PlacementRows {
    let campaignNames: [String: String]
    let locationNames: [String: String]

    static func load(store: any Store, accountID: String) async throws -> PlacementRows {
        PlacementRows(
            campaignNames: Dictionary(try await store.campaigns(accountID: accountID).map { ($0.id, $0.name) }) { first, _ in first },
            locationNames: Dictionary(try await store.locations(accountID: accountID).map { ($0.id, LocationPages.name($0)) }) { first, _ in first })
    }

    func text(_ place: Place) -> String {
        var parts: [String] = []
        if let id = place.campaign { parts.append("campaign \(campaignNames[id] ?? id)") }
        if let id = place.location { parts.append("location \(locationNames[id] ?? id)") }
        if let option = place.treatment { parts.append("callers who chose \(option.question) → \(option.response)") }
        return parts.joined(separator: ", ")
    }

    func link(_ place: Place) -> String {
        if let id = place.campaign { return "/campaigns/\(id)" }
        if let id = place.location { return "/locations/\(id)" }
        return "/treatments"
    }

    static func moment(_ moment: CallMoment) -> String {
        moment == .beginning ? "beginning of call" : "end of call"
    }

    func row(_ entry: WebhookPlacements.Entry) -> PlacementRow {
        let place = entry.placement.place
        return PlacementRow(
            webhookID: entry.webhook.id, webhook: entry.webhook.settings.name, place: text(place), link: link(place),
            moment: Self.moment(entry.placement.moment), momentValue: entry.placement.moment.rawValue,
            question: place.treatment?.question ?? "", response: place.treatment?.response ?? "",
            paused: !entry.webhook.settings.triggers.contains(entry.placement.moment.trigger))
    }
}
