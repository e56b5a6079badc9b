import HooklineCore
import Synchronization

/// Webhook templates compiled once per webhook version and event kind, not once per delivery.
final class TemplateCache: Sendable {
    private let entries = Mutex<[String: (settings: WebhookSettings, compiled: CompiledWebhook)]>([:])

    func compiled(_ webhook: Webhook, for kind: EventKind) throws(TemplateError) -> CompiledWebhook {
        let key = webhook.id + " " + kind.rawValue
        // Compared by value: a change made in the same millisecond as the last one is still seen.
        if let entry = entries.withLock({ $0[key] }), entry.settings == webhook.settings { return entry.compiled }
        let compiled = try webhook.settings.compile(for: kind)
        entries.withLock { $0[key] = (webhook.settings, compiled) }
        return compiled
    }
}
