import HooklineCore
import HooklineStore
import Hummingbird

/// A call's page: what is known of it, and its events (begin, end, each update with what it
/// changed, conversions) with their deliveries in order on a timeline.
struct CallPages {
    let store: any Store
    let pages: Pages

    func addRoutes(to group: RouterGroup<HooklineRequestContext>) {
        group.get("calls/{id}", use: show)
    }

    @Sendable func show(request: Request, context: HooklineRequestContext) async throws -> Response {
        let (account, id) = try context.requireAccountAndID()
        let call = try found(try await store.call(id: id, accountID: account.id), "call", id)
        let deliveries = try await store.deliveries(accountID: account.id, filter: DeliveryFilter(subjectID: id), page: PageRequest(limit: 200)).items
            .filter { $0.eventKind.subject == .call }
        let names = Dictionary(try await store.webhooks(accountID: account.id).map { ($0.id, $0.settings.name) }, uniquingKeysWith: { first, _ in first })
        let sources = try await DeliveryPages.sourceNames(store, accountID: account.id)
        let events = try await store.events(accountID: account.id, subject: .call, subjectID: id, limit: IngestController.timelineLimit)
        var moments = events.map { event in (time: event.receivedAt, order: 0, moment: Self.moment(event, sources: sources)) }
        for delivery in deliveries {
            let name = names[delivery.webhookID] ?? delivery.webhookID
            let queued = "\(delivery.eventKind.rawValue) delivery to \(name) queued" + (delivery.heldUntil.map { _ in ", held" } ?? "")
            moments.append((delivery.createdAt, 1, CallView.Moment(what: queued, kind: "queued", link: "/deliveries/\(delivery.id)")))
            for attempt in try await store.attempts(deliveryID: delivery.id) {
                let answer = attempt.response.map { "HTTP \($0.status)" } ?? attempt.errorMessage ?? ""
                let what = "Attempt \(attempt.number) to \(name): \(answer), \(attempt.durationMilliseconds) ms"
                moments.append((attempt.startedAt, 2, CallView.Moment(what: what, kind: attempt.succeeded ? "success" : "failed", link: "/deliveries/\(delivery.id)")))
            }
        }
        let timeline = moments.sorted { ($0.time, $0.order) < ($1.time, $1.order) }.map { entry in
            var moment = entry.moment
            moment.time = Pages.time(entry.time)
            return moment
        }
        let known = call.values.merging(call.captured).sorted { $0.key < $1.key }.map { NameValue(name: $0.key, value: TemplateText.text(of: $0.value)) }
        return pages.render(
            .call, title: "Call \(id)", context: context, nav: .deliveries,
            CallView(id: id, timeline: timeline, deliveries: DeliveryPages.rows(deliveries, names: names, sources: sources), values: known))
    }

    /// An event as the timeline says it: what happened, who reported it, what it changed.
    static func moment(_ event: SubjectEvent, sources: [String: String]) -> CallView.Moment {
        let reporter = event.sourceID.map { ", reported by source \(sources[$0] ?? $0)" } ?? ", through the API with the account's key"
        let what: String
        switch event.kind {
        case .callBegin: what = "Call began"
        case .callEnd:
            let status = event.values["dialstatus"].map(TemplateText.text(of:)) ?? ""
            what = "Call ended" + (status.isEmpty ? "" : " (\(status))")
        case .callUpdated: what = "Call updated"
        case .callConverted:
            let parts = ["conversion_name", "conversion_value", "conversion_currency"].compactMap { event.values[$0].map(TemplateText.text(of:)) }
            what = "Converted" + (parts.isEmpty ? "" : ": " + parts.joined(separator: " "))
        case .leadCreated, .leadUpdated, .leadMessage, .webhookFailing, .webhookRecovered, .webhookDisabled, .deliveryDead: what = event.kind.rawValue
        }
        let changes = event.changes.map { CallView.Change(field: $0.name, from: Self.shown($0.from), to: Self.shown($0.to)) }
        return CallView.Moment(what: what + reporter + (event.version.map { " · version \($0)" } ?? ""), kind: "event", link: nil, changes: changes)
    }

    private static func shown(_ value: JSONValue) -> String {
        value.isNull ? "unknown" : TemplateText.text(of: value)
    }
}
