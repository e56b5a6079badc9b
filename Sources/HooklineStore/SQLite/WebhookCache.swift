import Foundation
import GRDB
import HooklineCore
import Synchronization

/// Decoded webhooks, kept by id, so the hot paths (every event, every lease) do not decode JSON
/// or even copy the stored text. A whole webhook is kept per `revision`, which every change of
/// settings, secrets, enablement or disabled reason increments; health changes often and is read
/// from the row each time.
final class WebhookCache: Sendable {
    /// A webhook as of one revision; its health is left as it was then.
    private struct Revision {
        var number: Int64
        var webhook: Webhook
    }

    private let revisions = Mutex<[String: Revision]>([:])

    /// A whole webhook from a full `webhooks` row. Read from a statement as it steps
    /// (`Row.cachedMap`), an unchanged webhook's settings and secrets are never read from the row.
    func webhook(_ row: Row) throws -> Webhook {
        let id: String = row["id"]
        let number: Int64 = row["revision"]
        var webhook: Webhook
        if let known = revisions.withLock({ $0[id] }), known.number == number {
            webhook = known.webhook
        } else {
            webhook = Webhook(
                id: id, accountID: row["account_id"], settings: try SQLiteStore.decode(WebhookSettings.self, row["settings"] as String),
                secrets: try SQLiteStore.decode(WebhookSecrets.self, row["secrets"] as String), health: EndpointHealth(),
                disabledReason: row["disabled_reason"], createdAt: Timestamp(millisecondsSince1970: row["created_at"]),
                updatedAt: Timestamp(millisecondsSince1970: row["updated_at"]))
            revisions.withLock { $0[id] = Revision(number: number, webhook: webhook) }
        }
        webhook.health = SQLiteStore.health(row)
        return webhook
    }

    /// A deleted webhook is never read again: its entry would only hold memory.
    func forget(_ id: String) {
        revisions.withLock { _ = $0.removeValue(forKey: id) }
    }

    var count: Int { revisions.withLock { $0.count } }
}
