import HooklineCore
import HooklineStore

/// Webhook settings from the API's JSON, checked against the account: the rules of
/// `WebhookSettings(json:)`, then the templates, campaigns and locations it names. The API and
/// the UI's wizard and pages both go through here.
struct WebhookInput {
    let store: any Store

    func settings(_ body: JSONValue, base: WebhookSettings?, accountID: String) async throws -> WebhookSettings {
        var stored: [String: Template] = [:]
        if let id = body["template"]?["id"]?.stringValue, let template = try await store.template(id: id, accountID: accountID) {
            stored[id] = template.template
        }
        let settings = try WebhookSettings(json: body, updating: base, storedTemplates: stored)
        if body["scope"] != nil || body["placements"] != nil {
            try await WebhookPlacements(store: store).checkPlaces(of: settings, body: body, accountID: accountID)
        }
        return settings
    }

    /// A new webhook from the API's JSON, with a new signing secret.
    func create(_ body: JSONValue, accountID: String, now: Timestamp = .now) async throws -> Webhook {
        let settings = try await settings(body, base: nil, accountID: accountID)
        let webhook = Webhook(id: Identifier.make("wh", at: now), accountID: accountID, settings: settings, secrets: .generate(), createdAt: now, updatedAt: now)
        try await store.insertWebhook(webhook)
        return webhook
    }

    /// Saves `settings` for `webhook` after the API's checks, as a PATCH of every field would.
    func update(_ webhook: Webhook, to settings: WebhookSettings, now: Timestamp = .now) async throws -> Webhook {
        var webhook = webhook
        webhook.settings = try await self.settings(.object(settings.json), base: webhook.settings, accountID: webhook.accountID)
        webhook.updatedAt = now
        try await store.updateWebhook(webhook)
        return webhook
    }
}
