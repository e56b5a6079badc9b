import GRDB
import HooklineCore

typealias SQLiteWebhookCache = WebhookCache<Row>

extension Row: WebhookRow {
    var webhookID: String { self["id"] }
    var revision: Int64 { self["revision"] }

    func decodedWebhook() throws -> Webhook {
        Webhook(
            id: self["id"], accountID: self["account_id"], settings: try SQLiteStore.decode(WebhookSettings.self, self["settings"] as String),
            secrets: try SQLiteStore.decode(WebhookSecrets.self, self["secrets"] as String), health: EndpointHealth(),
            disabledReason: self["disabled_reason"], createdAt: Timestamp(millisecondsSince1970: self["created_at"]),
            updatedAt: Timestamp(millisecondsSince1970: self["updated_at"]))
    }

    func health() throws -> EndpointHealth { SQLiteStore.health(self) }

    func rateBucket() throws -> RateBucket {
        RateBucket(
            tokens: self["rate_tokens"] ?? 0, refilledAt: (self["rate_refilled_at"] as Int64?).map(Timestamp.init(millisecondsSince1970:)),
            emptyUntil: (self["rate_empty_until"] as Int64?).map(Timestamp.init(millisecondsSince1970:)))
    }
}
