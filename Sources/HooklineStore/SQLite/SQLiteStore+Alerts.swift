import GRDB
import HooklineCore

/// Alerts: the account's `AlertPolicy` on its row, and the heartbeat's sweep that raises what
/// Core's `AlertSweep` decides, each alert ingested as an event for the channels in the same
/// transaction as the webhook's new `AlertMark`. SQLite's one writer makes each change told once.
extension SQLiteStore {
    public func alertPolicy(accountID: String) async throws -> AlertPolicy {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT alert_failures, alert_digest_minutes, alert_reminder_days FROM accounts WHERE id = ?", arguments: [accountID])
                .map { AlertSQL.policy(failures: $0[0], digestMinutes: $0[1], reminderDays: $0[2]) } ?? .standard
        }
    }

    public func setAlertPolicy(_ policy: AlertPolicy, accountID: String) async throws {
        try await write { db in
            try db.execute(
                sql: "UPDATE accounts SET alert_failures = ?, alert_digest_minutes = ?, alert_reminder_days = ? WHERE id = ?",
                arguments: [policy.failures, policy.digestMinutes, AlertSQL.reminderDaysText(policy), accountID])
        }
    }

    public func sweepAlerts(links: AlertLinks, now: Timestamp, limit: Int) async throws -> [Alert] {
        let cache = webhookCache
        return try await write { db in
            let rows = try Row.fetchAll(db, sql: AlertSQL.candidates(now: now.millisecondsSince1970, enabled: "1") + " LIMIT ?", arguments: [limit])
            var raised: [Alert] = []
            for row in rows {
                let webhook = try cache.webhook(row)
                let policy = AlertSQL.policy(failures: row["alert_failures"], digestMinutes: row["alert_digest_minutes"], reminderDays: row["alert_reminder_days"])
                let sweep = AlertSweep(webhook, deadCount: row["dead_count"], mark: Self.alertMark(row), policy: policy, links: links, now: now)
                for alert in sweep.alerts {
                    _ = try Self.ingest(IngestRequest(accountID: webhook.accountID, command: .alert(alert), idempotencyKey: nil, now: now), cache: cache, db: db)
                }
                let mark = sweep.mark
                try db.execute(
                    sql: """
                        INSERT OR REPLACE INTO alert_marks (webhook_id, told, down_since, reminders, dead_told, digest_at, remind_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        webhook.id, mark.told.rawValue, mark.downSince?.millisecondsSince1970, mark.reminders, mark.deadTold,
                        mark.digestAt?.millisecondsSince1970, mark.remindAt(policy)?.millisecondsSince1970,
                    ])
                raised += sweep.alerts
            }
            return raised
        }
    }

    static func alertMark(_ row: Row) -> AlertMark {
        guard let told = (row["told"] as String?).flatMap(AlertMark.Told.init(rawValue:)) else { return .quiet }
        return AlertMark(
            told: told, downSince: (row["down_since"] as Int64?).map(Timestamp.init(millisecondsSince1970:)), reminders: row["reminders"],
            deadTold: row["dead_told"], digestAt: (row["digest_at"] as Int64?).map(Timestamp.init(millisecondsSince1970:)))
    }
}
