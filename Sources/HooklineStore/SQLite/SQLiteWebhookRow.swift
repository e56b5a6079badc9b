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
}
