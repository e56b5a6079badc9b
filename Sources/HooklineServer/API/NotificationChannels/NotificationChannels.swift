import HooklineCore
import HooklineDelivery
import HooklineStore

/// The account's notification channels as the API and the Notifications page use them: a channel
/// is a webhook carrying a channel preset, found only among channels, and tested by sending it a
/// test alert at once.
struct NotificationChannels {
    let store: any Store
    let sender: HTTPSender

    func create(_ settings: WebhookSettings, accountID: String, now: Timestamp = .now) async throws -> Webhook {
        let channel = Webhook(id: Identifier.make("wh", at: now), accountID: accountID, settings: settings, secrets: .generate(), createdAt: now, updatedAt: now)
        try await store.insertWebhook(channel)
        return channel
    }

    func list(accountID: String) async throws -> [Webhook] {
        try await store.webhooks(accountID: accountID).filter(\.isChannel)
    }

    /// The account's channel with this id; not found for an ordinary webhook.
    func find(id: String, accountID: String) async throws -> Webhook {
        try found(try await store.webhook(id: id, accountID: accountID).flatMap { $0.isChannel ? $0 : nil }, "notification channel", id)
    }

    /// Sends a test alert of `kind` (else the channel's first) now; nothing is stored.
    func sendTest(_ channel: Webhook, kind: EventKind? = nil) async -> (kind: EventKind, attempt: Attempt) {
        let kind = kind ?? channel.settings.triggers.first ?? .webhookFailing
        let alert = Alert.test(kind, links: sender.configuration.alertLinks, now: .now)
        return (kind, await sender.sendTrial(channel, kind: kind, values: alert.values, subjectID: alert.webhookID).attempt)
    }
}
