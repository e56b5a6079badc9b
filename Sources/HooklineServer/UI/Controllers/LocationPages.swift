import HooklineCore
import HooklineStore
import Hummingbird

/// Locations, and a location's Webhook Management tab: enabling a webhook on it at a
/// moment of the call, the webhooks enabled on it,
/// with their deliveries of the last 24 hours, and Add Webhook for it.
struct LocationPages {
    let store: any Store
    let pages: Pages

    func addRoutes(to group: RouterGroup<HooklineRequestContext>) {
        group.get("locations", use: list)
        group.get("locations/{id}", use: show)
        group.post("locations/{id}/webhooks", use: enable)
        group.post("locations/{id}/webhooks/{webhook}/remove", use: remove)
    }

    @Sendable func list(request: Request, context: HooklineRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let webhooks = try await store.webhooks(accountID: account.id)
        let locations = try await store.locations(accountID: account.id).map { location in
            LocationsView.Row(
                id: location.id, name: Self.name(location), city: location.values["location_address_city"].map(TemplateText.text(of:)) ?? "",
                webhooks: webhooks.filter { $0.settings.scope.names(.location(location.id)) }.count)
        }
        return pages.render(.locations, title: "Locations", context: context, LocationsView(locations: locations))
    }

    @Sendable func show(request: Request, context: HooklineRequestContext) async throws -> Response {
        try await page(request: request, context: context, error: nil)
    }

    @Sendable func enable(request: Request, context: HooklineRequestContext) async throws -> Response {
        let (account, id) = try context.requireAccountAndID()
        if let error = try await PlacementForms(store: store).enable(request, context: context, at: .location(id), accountID: account.id) {
            return try await page(request: request, context: context, error: error)
        }
        return Pages.redirect(to: "/locations/\(id)")
    }

    @Sendable func remove(request: Request, context: HooklineRequestContext) async throws -> Response {
        let (account, id) = try context.requireAccountAndID()
        try await PlacementForms(store: store).remove(request, context: context, at: .location(id), accountID: account.id)
        return Pages.redirect(to: "/locations/\(id)")
    }

    private func page(request: Request, context: HooklineRequestContext, error: (field: String, message: String)?) async throws -> Response {
        let (account, id) = try context.requireAccountAndID()
        let location = try found(try await store.location(id: id, accountID: account.id), "location", id)
        let details = request.method == .get && request.uri.queryParameters["tab"] == "details"
        let counts = try await store.deliveryCounts(accountID: account.id, since: Timestamp.now.adding(seconds: -24 * 3600))
        let webhooks = try await store.webhooks(accountID: account.id)
        let queues = try await store.webhookQueues(accountID: account.id)
        func table(_ list: [Webhook]) -> WebhookTable {
            WebhookTable(rows: list.map { WebhookRow($0, queue: queues[$0.id] ?? .empty, deliveries24h: counts[$0.id] ?? 0) })
        }
        let placing = try await PlacementForms(store: store).panel(at: .location(id), path: "/locations/\(id)", noun: "location", accountID: account.id, error: error)
        return pages.render(
            .location, title: Self.name(location), context: context, status: error == nil ? .ok : .unprocessableContent, nav: .locations,
            LocationView(
                id: id, name: Self.name(location), tabDetails: details, tabWebhooks: !details,
                details: location.values.sorted { $0.key < $1.key }.map { NameValue(name: $0.key, value: TemplateText.text(of: $0.value)) }, placing: placing,
                own: table(webhooks.filter { $0.settings.scope.names(.location(id)) }), accountWide: table(webhooks.filter { $0.settings.scope == .all })))
    }

    static func name(_ location: Location) -> String {
        location.values["location_name"].map(TemplateText.text(of:)) ?? location.id
    }
}
