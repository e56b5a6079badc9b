import HooklineCore
import HooklineStore
import Hummingbird

/// A call's page: what is known of it, and its events with their deliveries in order on a
/// timeline (begin, every attempt, end).
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
        let names = Dictionary(try await store.webhooks(accountID: account.id).map { ($0.id, $0.settings.name) }, uniquingKeysWith: { first, _ in first })
        let sources = try await DeliveryPages.sourceNames(store, accountID: account.id)
        let source = call.routing.sourceID.map { sources[$0] ?? $0 }
        var moments: [(time: Timestamp, order: Int, what: String, kind: String, link: String?)] = [
            (call.startedAt, 0, "Call began" + (source.map { ", reported by source \($0)" } ?? ""), "event", nil)
        ]
        if let ended = call.endedAt {
            let status = call.endValues?["dialstatus"].map(TemplateText.text(of:)) ?? ""
            moments.append((ended, 0, "Call ended" + (status.isEmpty ? "" : " (\(status))"), "event", nil))
        }
        for delivery in deliveries {
            let name = names[delivery.webhookID] ?? delivery.webhookID
            moments.append((delivery.createdAt, 1, "\(delivery.eventKind.rawValue) delivery to \(name) queued", "queued", "/deliveries/\(delivery.id)"))
            for attempt in try await store.attempts(deliveryID: delivery.id) {
                let answer = attempt.response.map { "HTTP \($0.status)" } ?? attempt.errorMessage ?? ""
                moments.append((
                    attempt.startedAt, 2, "Attempt \(attempt.number) to \(name): \(answer), \(attempt.durationMilliseconds) ms", attempt.succeeded ? "success" : "failed",
                    "/deliveries/\(delivery.id)"
                ))
            }
        }
        let timeline = moments.sorted { ($0.time, $0.order) < ($1.time, $1.order) }.map { CallView.Moment(time: Pages.time($0.time), what: $0.what, kind: $0.kind, link: $0.link) }
        let known = call.values.merging(call.captured).sorted { $0.key < $1.key }.map { NameValue(name: $0.key, value: TemplateText.text(of: $0.value)) }
        return pages.render(
            .call, title: "Call \(id)", context: context, nav: .deliveries,
            CallView(id: id, timeline: timeline, deliveries: DeliveryPages.rows(deliveries, names: names, sources: sources), values: known))
    }
}
