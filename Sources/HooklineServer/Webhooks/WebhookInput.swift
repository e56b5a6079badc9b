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
        guard body["scope"] != nil else { return settings }
        for (list, kind, key) in [(settings.scope.campaigns, CampaignKind.offline, "campaigns"), (settings.scope.dniCampaigns, .dni, "dni_campaigns")] {
            for (index, id) in list.enumerated() {
                guard let campaign = try await store.campaign(id: id, accountID: accountID) else {
                    throw FieldError("scope.\(key)[\(index)]", "no campaign \(Echo.quoted(id)) in this account", kind: .unusable)
                }
                guard campaign.kind == kind else {
                    throw FieldError("scope.\(key)[\(index)]", "\(id) is a\(campaign.kind == .dni ? " DNI" : "n offline") campaign; put it in \(campaign.kind == .dni ? "dni_campaigns" : "campaigns")")
                }
            }
        }
        for (index, id) in settings.scope.locations.enumerated() where try await store.location(id: id, accountID: accountID) == nil {
            throw FieldError("scope.locations[\(index)]", "no location \(Echo.quoted(id)) in this account", kind: .unusable)
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
