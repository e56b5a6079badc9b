import HooklineCore
import HooklineDelivery
import HooklineStore
import Hummingbird

/// The account's webhooks, and one webhook's page: health, enable or disable, secret rotation,
/// its template and its latest deliveries.
struct WebhookPages {
    let store: any Store
    let wakeup: Wakeup
    let pages: Pages

    func addRoutes(to group: RouterGroup<HooklineRequestContext>) {
        group.get("webhooks", use: list)
        group.get("webhooks/{id}", use: show)
        group.post("webhooks/{id}/enabled", use: setEnabled)
        group.post("webhooks/{id}/rotate-secret", use: rotateSecret)
    }

    @Sendable func list(request: Request, context: HooklineRequestContext) async throws -> Response {
        let webhooks = try await store.webhooks(accountID: try context.requireAccount().id)
        return pages.render("webhooks", title: "Webhooks", context: context, ["webhooks": webhooks.map(Self.summary)])
    }

    @Sendable func show(request: Request, context: HooklineRequestContext) async throws -> Response {
        try await page(context: context, newSecret: nil)
    }

    @Sendable func setEnabled(request: Request, context: HooklineRequestContext) async throws -> Response {
        let (account, id) = try context.requireAccountAndID()
        var webhook = try found(try await store.webhook(id: id, accountID: account.id), "webhook", id)
        let form = try await FormFields.of(request, context: context)
        guard let value = form["enabled"], value == "true" || value == "false" else { throw FieldError("enabled", "must be true or false") }
        webhook.settings.enabled = value == "true"
        webhook.updatedAt = .now
        try await store.updateWebhook(webhook)
        // Enabling makes its waiting deliveries due.
        wakeup.signal()
        return Pages.redirect(to: "/webhooks/\(id)")
    }

    @Sendable func rotateSecret(request: Request, context: HooklineRequestContext) async throws -> Response {
        let (account, id) = try context.requireAccountAndID()
        let webhook = try found(try await store.rotateSecret(webhookID: id, accountID: account.id, now: .now), "webhook", id)
        // Shown on this answer only: a reload shows the page without it.
        return try await page(context: context, newSecret: webhook.secrets.current)
    }

    private func page(context: HooklineRequestContext, newSecret: String?) async throws -> Response {
        let (account, id) = try context.requireAccountAndID()
        let webhook = try found(try await store.webhook(id: id, accountID: account.id), "webhook", id)
        let deliveries = try await store.deliveries(accountID: account.id, filter: DeliveryFilter(webhookID: id), page: PageRequest(limit: 10))
        var values = Self.summary(webhook)
        values["method"] = webhook.settings.method.rawValue
        values["successCodes"] = webhook.settings.successCodes.map(String.init).joined(separator: ", ")
        values["disabledReason"] = webhook.disabledReason ?? ""
        values["templateBody"] = webhook.settings.template.template(for: webhook.settings.triggers.first ?? .callBegin)?.body ?? ""
        values["health"] = [
            "state": webhook.health.state.rawValue, "consecutiveFailures": webhook.health.consecutiveFailures,
            "failingSince": Pages.time(webhook.health.failingSince), "lastError": webhook.health.lastError ?? "", "nextProbeAt": Pages.time(webhook.health.nextProbeAt),
        ]
        values["newSecret"] = newSecret ?? ""
        return pages.render(
            "webhook", title: webhook.settings.name, context: context,
            ["nav": "webhooks", "webhook": values, "deliveries": DeliveryPages.rows(deliveries.items, names: [webhook.id: webhook.settings.name])])
    }

    static func summary(_ webhook: Webhook) -> [String: Any] {
        [
            "id": webhook.id, "name": webhook.settings.name, "url": Redaction.redacted(url: webhook.settings.url),
            "template": templateName(webhook.settings.template), "triggers": webhook.settings.triggers.map(\.rawValue).joined(separator: ", "),
            "health": webhook.health.state.rawValue, "enabled": webhook.settings.enabled,
        ]
    }

    static func templateName(_ source: TemplateSource) -> String {
        switch source {
        case .inline(let template): "custom \(template.format.rawValue)"
        case .stored(let id, let template): "\(id) (\(template.format.rawValue))"
        case .preset(let choice): "preset \(choice.name)"
        }
    }
}
