import Foundation
import HooklineCore
import HooklineDelivery
import HooklineStore
import Hummingbird

/// The delivery log, newest first, filtered and paged; a delivery's page with every attempt's
/// request and answer; replay.
struct DeliveryPages {
    let store: any Store
    let wakeup: Wakeup
    let pages: Pages

    func addRoutes(to group: RouterGroup<HooklineRequestContext>) {
        group.get("deliveries", use: list)
        group.get("deliveries/{id}", use: show)
        group.post("deliveries/{id}/replay", use: replay)
    }

    @Sendable func list(request: Request, context: HooklineRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let query = request.uri.queryParameters
        func given(_ name: Substring) -> String? { query[name].map(String.init).flatMap { $0.isEmpty ? nil : $0 } }
        var filter = DeliveryFilter(webhookID: given("webhook_id"), subjectID: given("subject_id"))
        if let status = given("status") {
            guard let value = DeliveryStatus(rawValue: status) else {
                throw FieldError("status", "must be one of \(DeliveryStatus.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            filter.status = value
        }
        let page = try await store.deliveries(accountID: account.id, filter: filter, page: PageRequest(limit: 50, cursor: given("cursor")))
        let webhooks = try await store.webhooks(accountID: account.id)
        let names = Dictionary(webhooks.map { ($0.id, $0.settings.name) }, uniquingKeysWith: { first, _ in first })
        var nextPage: String?
        if let cursor = page.nextCursor {
            var components = URLComponents()
            components.queryItems = [("webhook_id", filter.webhookID), ("status", filter.status?.rawValue), ("subject_id", filter.subjectID), ("cursor", cursor)]
                .compactMap { name, value in value.map { URLQueryItem(name: name, value: $0) } }
            nextPage = "/deliveries?" + (components.percentEncodedQuery ?? "")
        }
        let view = DeliveriesView(
            deliveries: Self.rows(page.items, names: names, sources: try await Self.sourceNames(store, accountID: account.id)), filtered: filter != DeliveryFilter(),
            subjectID: filter.subjectID ?? "", webhookOptions: WebhookOption.list(webhooks, selected: filter.webhookID),
            statusOptions: DeliveryStatus.allCases.map { ValueOption(value: $0.rawValue, selected: $0 == filter.status) }, nextPage: nextPage,
            replay: try await Self.replayOffer(filter, accountID: account.id, store: store))
        return pages.render(.deliveries, title: "Deliveries", context: context, view)
    }

    @Sendable func show(request: Request, context: HooklineRequestContext) async throws -> Response {
        let (account, id) = try context.requireAccountAndID()
        let delivery = try found(try await store.delivery(id: id, accountID: account.id), "delivery", id)
        let webhook = try await store.webhook(id: delivery.webhookID, accountID: account.id)
        let attempts = try await store.attempts(deliveryID: id)
        var row = DeliveryRow(delivery, names: [delivery.webhookID: webhook?.settings.name ?? delivery.webhookID], sources: try await Self.sourceNames(store, accountID: account.id))
        row.nextAttemptAt = delivery.status == .pending ? delivery.nextAttemptAt.map(Pages.time) : nil
        return pages.render(
            .delivery, title: "Delivery \(id)", context: context, nav: .deliveries,
            flash: request.uri.queryParameters["replayed"] != nil ? "Replay queued: the delivery is due now." : nil,
            DeliveryView(delivery: row, attempts: attempts.reversed().map(AttemptView.init)))
    }

    @Sendable func replay(request: Request, context: HooklineRequestContext) async throws -> Response {
        let (account, id) = try context.requireAccountAndID()
        _ = try found(try await store.replayDelivery(id: id, accountID: account.id, now: .now), "delivery", id)
        wakeup.signal()
        return Pages.redirect(to: "/deliveries/\(id)?replayed=1")
    }

    /// What "Replay these" would replay for the log's filter, as its preview counts it.
    static func replayOffer(_ filter: DeliveryFilter, accountID: String, store: any Store) async throws -> ReplayOffer? {
        guard let replay = ReplayPages.filter(webhookID: filter.webhookID, status: filter.status, subjectID: filter.subjectID),
            let outcome = replay.outcomes.first
        else { return nil }
        let count = try await store.replayPreview(accountID: accountID, filter: replay).values.reduce(0, +)
        guard count > 0 else { return nil }
        return ReplayOffer(
            count: count, outcome: outcome.rawValue, webhookID: filter.webhookID ?? "", status: filter.status?.rawValue ?? "", subjectID: filter.subjectID ?? "")
    }

    /// Each source's name by its id, to say where a delivery's call or lead came from.
    static func sourceNames(_ store: any Store, accountID: String) async throws -> [String: String] {
        Dictionary(try await store.sources(accountID: accountID).map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
    }

    static func rows(_ deliveries: [Delivery], names: [String: String], sources: [String: String]) -> [DeliveryRow] {
        deliveries.map { DeliveryRow($0, names: names, sources: sources) }
    }
}
