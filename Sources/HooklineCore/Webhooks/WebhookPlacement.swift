/// Enabling a webhook at a place (on an offline or DNI campaign, a location or a
/// call-treatment option, at the beginning or the end of the call) and removing it there. Each
/// changes that place and nothing else: enabling limits a webhook sent for every call to its
/// placements, and removing one never widens it.
extension WebhookSettings {
    /// The webhook placed at `placement` as well. Its trigger is added when missing, so the
    /// placement takes effect; other places keep their moments, as calls go only at the moments of
    /// the placements that match them. Refused past `WebhookScope.maximumPlacements`.
    public func placing(_ placement: Placement) throws(FieldError) -> WebhookSettings {
        // A channel's alerts are about webhooks, not calls: it has no place and no call triggers.
        guard ChannelKind(self) == nil else {
            throw FieldError("webhook_id", "is a notification channel: it hears about every webhook and is never placed", kind: .unusable)
        }
        var settings = self
        var placements = scope.placements
        if !placements.contains(placement) {
            guard placements.count < WebhookScope.maximumPlacements else {
                throw FieldError("webhook_id", "the webhook has \(WebhookScope.maximumPlacements) placements, the most one can have; remove some first", kind: .unusable)
            }
            placements.append(placement)
        }
        settings.scope = .placements(placements)
        if !settings.triggers.contains(placement.moment.trigger) { settings.triggers.append(placement.moment.trigger) }
        return settings
    }

    /// The placements naming `reference` removed, at `moment` only when one is given. A webhook
    /// sent for every call has none to remove and stays as it is.
    public func removingPlacements(at reference: PlaceReference, moment: CallMoment? = nil) -> WebhookSettings {
        guard case .placements(let placements) = scope else { return self }
        var settings = self
        settings.scope = .placements(placements.filter { !($0.place.names(reference) && (moment == nil || $0.moment == moment)) })
        return settings
    }

    /// The placements naming `reference`.
    public func placements(at reference: PlaceReference) -> [Placement] {
        scope.placements.filter { $0.place.names(reference) }
    }
}

extension WebhookScope {
    /// Placements at `place` that send what `triggers` asks for there: one per moment of a call
    /// trigger. A webhook for leads only gets one at the end, which its triggers keep from calls.
    public static func placements(at place: Place, for triggers: [EventKind]) -> [Placement] {
        let asked = place.moments.filter { triggers.contains($0.trigger) }
        let moments = triggers.contains(where: { $0 == .callBegin || $0 == .callEnd }) ? asked : [.end]
        return moments.map { Placement(place: place, moment: $0) }
    }

    /// The scope that sends what an old list scope did: every list that was set had to match (a
    /// campaign of the list, and a location of the list, and an option of the list). Each
    /// combination becomes a place; empty lists are no scope at all.
    public static func converting(
        campaigns: [String], locations: [String], treatments: [TreatmentOption], triggers: [EventKind]
    ) -> WebhookScope {
        guard !(campaigns.isEmpty && locations.isEmpty && treatments.isEmpty) else { return .all }
        func parts<T>(_ list: [T]) -> [T?] { list.isEmpty ? [nil] : list.map { $0 } }
        var placements: [Placement] = []
        for campaign in parts(campaigns) {
            for location in parts(locations) {
                for treatment in parts(treatments) {
                    guard let place = Place(campaign: campaign, location: location, treatment: treatment) else { continue }
                    placements += WebhookScope.placements(at: place, for: triggers).filter { !placements.contains($0) }
                }
            }
        }
        return .placements(placements)
    }
}
