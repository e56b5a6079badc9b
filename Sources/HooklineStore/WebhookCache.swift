import HooklineCore
import Synchronization

/// A `webhooks` row as an engine reads it: what the cache needs to know whether the webhook
/// changed, and to decode it when it did.
protocol WebhookRow {
    var webhookID: String { get throws }
    var revision: Int64 { get throws }
    /// The webhook as stored, its health left at its default: health is read from the row each time.
    func decodedWebhook() throws -> Webhook
    func health() throws -> EndpointHealth
    func rateBucket() throws -> RateBucket
}

/// Decoded webhooks, kept by id, so the hot paths (every event, every lease) do not decode JSON
/// or even copy the stored text. A whole webhook is kept per `revision`, which every change of
/// settings, secrets, enablement or disabled reason increments; health changes often and is read
/// from the row each time. One per store, over its engine's rows.
final class WebhookCache<Row: WebhookRow>: Sendable {
    /// A webhook as of one revision; its health is left as it was then.
    private struct Revision {
        var number: Int64
        var webhook: Webhook
    }

    private let revisions = Mutex<[String: Revision]>([:])

    /// A whole webhook from a full `webhooks` row. Read from a statement as it steps, an unchanged
    /// webhook's settings and secrets are never read from the row.
    func webhook(_ row: Row) throws -> Webhook {
        let id = try row.webhookID
        let number = try row.revision
        var webhook: Webhook
        if let known = revisions.withLock({ $0[id] }), known.number == number {
            webhook = known.webhook
        } else {
            webhook = try row.decodedWebhook()
            revisions.withLock { $0[id] = Revision(number: number, webhook: webhook) }
        }
        webhook.health = try row.health()
        webhook.rateBucket = try row.rateBucket()
        return webhook
    }

    /// A deleted webhook is never read again: its entry would only hold memory.
    func forget(_ id: String) {
        revisions.withLock { _ = $0.removeValue(forKey: id) }
    }

    var count: Int { revisions.withLock { $0.count } }
}
