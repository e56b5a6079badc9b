import GRDB
import HooklineCore

/// An account's `AutoDisable`: its days on the account's row, and the heartbeat's sweep that
/// disables webhooks failing for that long, each decided by Core. The group commit is the only
/// writer, so each is disabled once.
extension SQLiteStore {
    public func autoDisable(accountID: String) async throws -> AutoDisable {
        try await pool.read { db in
            AutoDisable(days: try Int.fetchOne(db, sql: "SELECT auto_disable_days FROM accounts WHERE id = ?", arguments: [accountID]) ?? AutoDisable.standard.days)
        }
    }

    public func setAutoDisable(_ rule: AutoDisable, accountID: String) async throws {
        try await write { db in
            try db.execute(sql: "UPDATE accounts SET auto_disable_days = ? WHERE id = ?", arguments: [rule.days, accountID])
        }
    }

    public func disableLongFailingWebhooks(now: Timestamp, limit: Int) async throws -> [Webhook] {
        let cache = webhookCache
        return try await write { db in
            // Those past the cutoff in SQL; Core's rule decides each.
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT w.*, a.auto_disable_days FROM webhooks w JOIN accounts a ON a.id = w.account_id
                    WHERE w.enabled = 1 AND w.health_state = 'failing' AND a.auto_disable_days > 0
                        AND w.failing_since <= ? - a.auto_disable_days * 86400000
                    LIMIT ?
                    """, arguments: [now.millisecondsSince1970, limit])
            var disabled: [Webhook] = []
            for row in rows {
                let rule = AutoDisable(days: row["auto_disable_days"])
                let webhook = try cache.webhook(row)
                guard rule.disables(webhook, now: now) else { continue }
                let off = webhook.disabled(reason: rule.reason)
                try db.execute(
                    sql: "UPDATE webhooks SET enabled = 0, settings = ?, disabled_reason = ?, updated_at = ?, revision = revision + 1 WHERE id = ?",
                    arguments: [try Self.encode(off.settings), off.disabledReason, now.millisecondsSince1970, off.id])
                disabled.append(off)
            }
            return disabled
        }
    }
}
