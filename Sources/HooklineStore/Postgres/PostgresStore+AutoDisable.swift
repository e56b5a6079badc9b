import HooklineCore
import PostgresNIO

/// An account's `AutoDisable`: its days on the account's row, and the heartbeat's sweep that
/// disables webhooks failing for that long, each decided by Core. Rows are locked and skipped when
/// another worker holds them, so workers sweeping at once disable each webhook once.
extension PostgresStore {
    public func autoDisable(accountID: String) async throws -> AutoDisable {
        AutoDisable(
            days: try await rows("SELECT auto_disable_days FROM accounts WHERE id = \(accountID)").first?.column("auto_disable_days", as: Int.self)
                ?? AutoDisable.standard.days)
    }

    public func setAutoDisable(_ rule: AutoDisable, accountID: String) async throws {
        _ = try await rows("UPDATE accounts SET auto_disable_days = \(rule.days) WHERE id = \(accountID) RETURNING id")
    }

    public func disableLongFailingWebhooks(now: Timestamp, limit: Int) async throws -> [Webhook] {
        let cache = webhookCache
        return try await transaction { [logger] connection in
            // Those past the cutoff in SQL; Core's rule decides each.
            let rows = try await connection.rows(
                """
                SELECT w.*, a.auto_disable_days FROM webhooks w JOIN accounts a ON a.id = w.account_id
                WHERE w.enabled AND w.health_state = 'failing' AND a.auto_disable_days > 0
                    AND w.failing_since <= \(now.millisecondsSince1970) - a.auto_disable_days * 86400000::bigint
                LIMIT \(limit) FOR NO KEY UPDATE OF w SKIP LOCKED
                """, logger: logger)
            var disabled: [Webhook] = []
            for row in rows {
                let rule = AutoDisable(days: try row.column("auto_disable_days", as: Int.self))
                let webhook = try cache.webhook(row)
                guard rule.disables(webhook, now: now) else { continue }
                let off = webhook.disabled(reason: rule.reason)
                try await connection.run(
                    """
                    UPDATE webhooks SET enabled = false, settings = \(try Self.encode(off.settings)), disabled_reason = \(off.disabledReason),
                        updated_at = \(now.millisecondsSince1970), revision = revision + 1
                    WHERE id = \(off.id)
                    """, logger: logger)
                disabled.append(off)
            }
            return disabled
        }
    }
}
