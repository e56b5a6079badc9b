import Foundation
import GRDB
import HooklineCore
import Synchronization

/// Decoded webhook settings and secrets, kept by id together with the stored JSON they came from,
/// so the hot paths do not decode JSON on every event. An entry is used only while the stored text
/// is the same: comparing text is cheap, and unlike a timestamp it cannot miss two changes made in
/// the same millisecond.
final class WebhookCache: Sendable {
    private struct Entry {
        var settingsText: String
        var settings: WebhookSettings
        var secretsText: String?
        var secrets: WebhookSecrets?
    }

    private let entries = Mutex<[String: Entry]>([:])

    /// From a row holding at least `id` and `settings`.
    func settings(_ row: Row) throws -> WebhookSettings {
        let id: String = row["id"]
        let text: String = row["settings"]
        if let entry = entries.withLock({ $0[id] }), entry.settingsText == text { return entry.settings }
        let settings = try SQLiteStore.decode(WebhookSettings.self, text)
        entries.withLock { $0[id] = Entry(settingsText: text, settings: settings) }
        return settings
    }

    /// A whole webhook from a full `webhooks` row.
    func webhook(_ row: Row) throws -> Webhook {
        let id: String = row["id"]
        let settingsText: String = row["settings"]
        let secretsText: String = row["secrets"]
        let settings: WebhookSettings
        let secrets: WebhookSecrets
        if let cached = entries.withLock({ $0[id] }), cached.settingsText == settingsText, cached.secretsText == secretsText,
            let cachedSecrets = cached.secrets
        {
            (settings, secrets) = (cached.settings, cachedSecrets)
        } else {
            settings = try SQLiteStore.decode(WebhookSettings.self, settingsText)
            secrets = try SQLiteStore.decode(WebhookSecrets.self, secretsText)
            entries.withLock {
                $0[id] = Entry(settingsText: settingsText, settings: settings, secretsText: secretsText, secrets: secrets)
            }
        }
        return Webhook(
            id: id, accountID: row["account_id"], settings: settings, secrets: secrets, health: SQLiteStore.health(row),
            disabledReason: row["disabled_reason"], createdAt: Timestamp(millisecondsSince1970: row["created_at"]),
            updatedAt: Timestamp(millisecondsSince1970: row["updated_at"]))
    }
}
