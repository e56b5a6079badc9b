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
        var moments: [(time: Timestamp, order: Int, item: [String: Any])] = [
            (call.startedAt, 0, ["what": "Call began" + (source.map { ", reported by source \($0)" } ?? ""), "kind": "event"])
        ]
        if let ended = call.endedAt {
            let status = call.endValues?["dialstatus"].map(TemplateText.text(of:)) ?? ""
            moments.append((ended, 0, ["what": "Call ended" + (status.isEmpty ? "" : " (\(status))"), "kind": "event"]))
        }
        for delivery in deliveries {
            let name = names[delivery.webhookID] ?? delivery.webhookID
            moments.append((delivery.createdAt, 1, ["what": "\(delivery.eventKind.rawValue) delivery to \(name) queued", "kind": "queued", "link": "/deliveries/\(delivery.id)"]))
            for attempt in try await store.attempts(deliveryID: delivery.id) {
                let answer = attempt.response.map { "HTTP \($0.status)" } ?? attempt.errorMessage ?? ""
                moments.append((
                    attempt.startedAt, 2,
                    [
                        "what": "Attempt \(attempt.number) to \(name): \(answer), \(attempt.durationMilliseconds) ms", "kind": attempt.succeeded ? "success" : "failed",
                        "link": "/deliveries/\(delivery.id)",
                    ]
                ))
            }
        }
        let timeline = moments.sorted { ($0.time, $0.order) < ($1.time, $1.order) }.map { $0.item.merging(["time": Pages.time($0.time)]) { $1 } }
        let known = call.values.merging(call.captured).sorted { $0.key < $1.key }.map { ["name": $0.key, "value": TemplateText.text(of: $0.value)] }
        return pages.render(
            "call", title: "Call \(id)", context: context,
            ["nav": "deliveries", "id": id, "timeline": timeline, "values": known, "deliveries": DeliveryPages.rows(deliveries, names: names, sources: sources)])
    }
}
