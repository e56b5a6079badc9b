import GRDB
import HooklineCore

/// Alerts: the account's `AlertPolicy` on its row, and the heartbeat's sweep that raises what
/// Core's `AlertSweep` decides, each alert ingested as an event for the channels in the same
/// transaction as the webhook's new `AlertMark`. SQLite's one writer makes each change told once.
extension SQLiteStore {
    public func alertPolicy(accountID: String) async throws -> AlertPolicy {
        try await pool.read { db in
            try Row.fetchOne(
                db, sql: "SELECT alert_failures, alert_digest_minutes, alert_reminder_days, alert_failure_rate FROM accounts WHERE id = ?", arguments: [accountID]
            ).map(Self.alertPolicy) ?? .standard
        }
    }

    public func setAlertPolicy(_ policy: AlertPolicy, accountID: String) async throws {
        try await write { db in
            try db.execute(
                sql: "UPDATE accounts SET alert_failures = ?, alert_digest_minutes = ?, alert_reminder_days = ?, alert_failure_rate = ? WHERE id = ?",
                arguments: [policy.failures, policy.digestMinutes, AlertSQL.reminderDaysText(policy), AlertSQL.failureRateText(policy), accountID])
        }
    }

    public func sweepAlerts(links: AlertLinks, now: Timestamp, limit: Int) async throws -> [Alert] {
        let cache = webhookCache
        return try await write { db in
            let rows = try Row.fetchAll(db, sql: AlertSQL.candidates(now: now.millisecondsSince1970, enabled: "1") + " LIMIT ?", arguments: [limit])
            var raised: [Alert] = []
            for row in rows {
                let webhook = try cache.webhook(row)
                let policy = Self.alertPolicy(row)
                let rate = try policy.failureRate.map { rule in
                    let window = AlertSQL.window(rule, now: now)
                    let measured = try Row.fetchOne(
                        db, sql: AlertSQL.attemptRate(index: "INDEXED BY deliveries_by_webhook"),
                        arguments: [webhook.id, window.lowestID, window.start])
                    return AttemptRate(attempts: measured?["attempts"] ?? 0, failed: measured?["failed"] ?? 0)
                }
                let mark = Self.alertMark(row)
                let sweep = AlertSweep(webhook, deadCount: row["dead_count"], mark: mark, policy: policy, rate: rate, links: links, now: now)
                for alert in sweep.alerts {
                    _ = try Self.ingest(IngestRequest(accountID: webhook.accountID, command: .alert(alert), idempotencyKey: nil, now: now), cache: cache, db: db)
                }
                raised += sweep.alerts
                guard sweep.mark != mark else { continue }
                let next = sweep.mark
                try db.execute(
                    sql: """
                        INSERT OR REPLACE INTO alert_marks (webhook_id, told, down_since, reminders, dead_told, digest_at, remind_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        webhook.id, next.told.rawValue, next.downSince?.millisecondsSince1970, next.reminders, next.deadTold,
                        next.digestAt?.millisecondsSince1970, next.remindAt(policy)?.millisecondsSince1970,
                    ])
            }
            return raised
        }
    }

    static func alertPolicy(_ row: Row) -> AlertPolicy {
        AlertSQL.policy(
            failures: row["alert_failures"], digestMinutes: row["alert_digest_minutes"], reminderDays: row["alert_reminder_days"],
            failureRate: row["alert_failure_rate"])
    }

    static func alertMark(_ row: Row) -> AlertMark {
        guard let told = (row["told"] as String?).flatMap(AlertMark.Told.init(rawValue:)) else { return .quiet }
        return AlertMark(
            told: told, downSince: (row["down_since"] as Int64?).map(Timestamp.init(millisecondsSince1970:)), reminders: row["reminders"],
            deadTold: row["dead_told"], digestAt: (row["digest_at"] as Int64?).map(Timestamp.init(millisecondsSince1970:)))
    }
}
