import HooklineCore
import PostgresNIO
import Synchronization

/// Decoded webhooks by id and `revision`, as the SQLite engine keeps them: a webhook's settings
/// and secrets are decoded once per change, its health is read from the row each time.
final class PostgresWebhookCache: Sendable {
    private struct Revision {
        var number: Int64
        var webhook: Webhook
    }

    private let revisions = Mutex<[String: Revision]>([:])

    /// A whole webhook from a full `webhooks` row.
    func webhook(_ row: PostgresRandomAccessRow) throws -> Webhook {
        let id: String = try row.column("id")
        let number: Int64 = try row.column("revision")
        var webhook: Webhook
        if let known = revisions.withLock({ $0[id] }), known.number == number {
            webhook = known.webhook
        } else {
            webhook = Webhook(
                id: id, accountID: try row.column("account_id"), settings: try PostgresStore.decode(WebhookSettings.self, try row.column("settings")),
                secrets: try PostgresStore.decode(WebhookSecrets.self, try row.column("secrets")), health: EndpointHealth(),
                disabledReason: try row.column("disabled_reason"), createdAt: try row.time("created_at"), updatedAt: try row.time("updated_at"))
            revisions.withLock { $0[id] = Revision(number: number, webhook: webhook) }
        }
        webhook.health = try Self.health(row)
        return webhook
    }

    static func health(_ row: PostgresRandomAccessRow) throws -> EndpointHealth {
        EndpointHealth(
            state: EndpointHealth.State(rawValue: try row.column("health_state")) ?? .healthy, consecutiveFailures: try row.column("consecutive_failures"),
            failingSince: try row.optionalTime("failing_since"), lastError: try row.column("last_error"), nextProbeAt: try row.optionalTime("next_probe_at"))
    }

    func forget(_ id: String) {
        revisions.withLock { _ = $0.removeValue(forKey: id) }
    }
}
