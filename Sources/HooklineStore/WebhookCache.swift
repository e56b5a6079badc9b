import Foundation
import GRDB
import HooklineCore
import Synchronization

/// Decoded webhook settings and secrets, kept by id and `updated_at` (which every change to them
/// moves), so the hot paths do not decode JSON on every event.
final class WebhookCache: Sendable {
    private struct Entry {
        var updatedAt: Int64
        var settings: WebhookSettings
        var secrets: WebhookSecrets?
    }

    private let entries = Mutex<[String: Entry]>([:])

    /// From a row holding at least `id`, `settings` and `updated_at`.
    func settings(_ row: Row) throws -> WebhookSettings {
        let id: String = row["id"]
        let updatedAt: Int64 = row["updated_at"]
        if let entry = entries.withLock({ $0[id] }), entry.updatedAt == updatedAt { return entry.settings }
        let settings = try SQLiteStore.decode(WebhookSettings.self, row["settings"])
        entries.withLock { $0[id] = Entry(updatedAt: updatedAt, settings: settings, secrets: $0[id]?.updatedAt == updatedAt ? $0[id]?.secrets : nil) }
        return settings
    }

    /// A whole webhook from a full `webhooks` row.
    func webhook(_ row: Row) throws -> Webhook {
        let id: String = row["id"]
        let updatedAt: Int64 = row["updated_at"]
        let cached = entries.withLock { $0[id] }
        let settings: WebhookSettings
        let secrets: WebhookSecrets
        if let cached, cached.updatedAt == updatedAt, let cachedSecrets = cached.secrets {
            (settings, secrets) = (cached.settings, cachedSecrets)
        } else {
            settings = try SQLiteStore.decode(WebhookSettings.self, row["settings"])
            secrets = try SQLiteStore.decode(WebhookSecrets.self, row["secrets"])
            entries.withLock { $0[id] = Entry(updatedAt: updatedAt, settings: settings, secrets: secrets) }
        }
        return Webhook(
            id: id, accountID: row["account_id"], settings: settings, secrets: secrets, health: SQLiteStore.health(row),
            disabledReason: row["disabled_reason"], createdAt: Timestamp(millisecondsSince1970: row["created_at"]),
            updatedAt: Timestamp(millisecondsSince1970: updatedAt))
    }
}
