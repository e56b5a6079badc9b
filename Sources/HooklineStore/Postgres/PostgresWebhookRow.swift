import HooklineCore
import PostgresNIO

typealias PostgresWebhookCache = WebhookCache<PostgresRandomAccessRow>

extension PostgresRandomAccessRow: WebhookRow {
    var webhookID: String { get throws { try column("id") } }
    var revision: Int64 { get throws { try column("revision") } }

    func decodedWebhook() throws -> Webhook {
        Webhook(
            id: try column("id"), accountID: try column("account_id"), settings: try PostgresStore.decode(WebhookSettings.self, try column("settings")),
            secrets: try PostgresStore.decode(WebhookSecrets.self, try column("secrets")), health: EndpointHealth(),
            disabledReason: try column("disabled_reason"), createdAt: try time("created_at"), updatedAt: try time("updated_at"))
    }

    func health() throws -> EndpointHealth {
        EndpointHealth(
            state: EndpointHealth.State(rawValue: try column("health_state")) ?? .healthy, consecutiveFailures: try column("consecutive_failures"),
            failingSince: try optionalTime("failing_since"), lastError: try column("last_error"), nextProbeAt: try optionalTime("next_probe_at"),
            pausedUntil: try optionalTime("paused_until"))
    }

    func rateBucket() throws -> RateBucket {
        RateBucket(
            tokens: try column("rate_tokens", as: Double?.self) ?? 0, refilledAt: try optionalTime("rate_refilled_at"),
            emptyUntil: try optionalTime("rate_empty_until"))
    }
}
