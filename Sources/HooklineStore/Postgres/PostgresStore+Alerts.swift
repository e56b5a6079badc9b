import HooklineCore
import PostgresNIO

/// Alerts: the account's `AlertPolicy` on its row, and the heartbeat's sweep that raises what
/// Core's `AlertSweep` decides, each alert ingested as an event for the channels in the same
/// transaction as the webhook's new `AlertMark`. The swept webhooks' rows are locked and skipped
/// when another worker holds them, so workers sweeping at once tell each change once.
extension PostgresStore {
    public func alertPolicy(accountID: String) async throws -> AlertPolicy {
        guard
            let row = try await rows(
                "SELECT alert_failures, alert_digest_minutes, alert_reminder_days, alert_failure_rate FROM accounts WHERE id = \(accountID)"
            ).first
        else { return .standard }
        return try Self.alertPolicy(row)
    }

    public func setAlertPolicy(_ policy: AlertPolicy, accountID: String) async throws {
        _ = try await rows(
            """
            UPDATE accounts SET alert_failures = \(policy.failures), alert_digest_minutes = \(policy.digestMinutes),
                alert_reminder_days = \(AlertSQL.reminderDaysText(policy)), alert_failure_rate = \(AlertSQL.failureRateText(policy))
            WHERE id = \(accountID) RETURNING id
            """)
    }

    public func sweepAlerts(links: AlertLinks, now: Timestamp, limit: Int) async throws -> [Alert] {
        let cache = webhookCache
        let locks = WebhookLocks.Taken(in: webhookLocks)
        defer { locks.release() }
        let (raised, late) = try await transaction { [logger] connection in
            let candidates = AlertSQL.candidates(now: now.millisecondsSince1970, enabled: "true") + " LIMIT \(limit) FOR NO KEY UPDATE OF w SKIP LOCKED"
            var raised: [Alert] = []
            var late = EarliestDueTimes()
            for candidate in try await connection.rows(PostgresQuery(unsafeSQL: candidates), logger: logger) {
                // Read again now that its row is locked: the candidates' statement saw the marks as
                // they were when it began, before a sweep that held the row until then committed.
                guard
                    let row = try await connection.rows(
                        "\(unescaped: AlertSQL.webhookWithMark) WHERE w.id = \(try candidate.column("id", as: String.self))", logger: logger
                    ).first
                else { continue }
                let webhook = try cache.webhook(row)
                let policy = try Self.alertPolicy(row)
                var rate: AttemptRate?
                if let rule = policy.failureRate {
                    let window = AlertSQL.window(rule, now: now)
                    let measured = try await connection.rows(
                        PostgresQuery(unsafeSQL: AlertSQL.attemptRate(), binds: try Self.rateBinds(webhook.id, window)),
                        logger: logger
                    ).first
                    rate = AttemptRate(attempts: try measured?.column("attempts", as: Int.self) ?? 0, failed: try measured?.column("failed", as: Int.self) ?? 0)
                }
                let mark = try Self.alertMark(row)
                let sweep = AlertSweep(
                    webhook, deadCount: try row.column("dead_count", as: Int.self), mark: mark, policy: policy, rate: rate, links: links, now: now)
                var writes = IngestWrites()
                for alert in sweep.alerts {
                    let request = IngestRequest(accountID: webhook.accountID, command: .alert(alert), idempotencyKey: nil, now: now)
                    late.add(try await Self.ingest(request, cache: cache, locks: locks, writes: &writes, connection: connection, logger: logger).lateDueTimes)
                }
                try await writes.write(connection: connection, logger: logger)
                raised += sweep.alerts
                guard sweep.mark != mark else { continue }
                let next = sweep.mark
                try await connection.run(
                    """
                    INSERT INTO alert_marks (webhook_id, told, down_since, reminders, dead_told, digest_at, remind_at)
                    VALUES (\(webhook.id), \(next.told.rawValue), \(next.downSince?.millisecondsSince1970), \(next.reminders), \(next.deadTold),
                        \(next.digestAt?.millisecondsSince1970), \(next.remindAt(policy)?.millisecondsSince1970))
                    ON CONFLICT (webhook_id) DO UPDATE SET told = excluded.told, down_since = excluded.down_since, reminders = excluded.reminders,
                        dead_told = excluded.dead_told, digest_at = excluded.digest_at, remind_at = excluded.remind_at
                    """, logger: logger)
            }
            return (raised, late)
        }
        await advanceLate(late)
        return raised
    }

    static func rateBinds(_ webhookID: String, _ window: (start: Int64, lowestID: String)) throws -> PostgresBindings {
        var binds = PostgresBindings()
        binds.append(webhookID)
        binds.append(window.lowestID)
        binds.append(window.start)
        return binds
    }

    static func alertPolicy(_ row: PostgresRandomAccessRow) throws -> AlertPolicy {
        AlertSQL.policy(
            failures: try row.column("alert_failures", as: Int.self), digestMinutes: try row.column("alert_digest_minutes", as: Int.self),
            reminderDays: try row.column("alert_reminder_days", as: String.self), failureRate: try row.column("alert_failure_rate", as: String?.self))
    }

    static func alertMark(_ row: PostgresRandomAccessRow) throws -> AlertMark {
        guard let told = try row.column("told", as: String?.self).flatMap(AlertMark.Told.init(rawValue:)) else { return .quiet }
        return AlertMark(
            told: told, downSince: try row.optionalTime("down_since"), reminders: try row.column("reminders", as: Int.self),
            deadTold: try row.column("dead_told", as: Int.self), digestAt: try row.optionalTime("digest_at"))
    }
}
