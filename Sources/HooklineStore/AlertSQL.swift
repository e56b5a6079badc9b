import HooklineCore

/// What alerts add to the schema, and the sweep's choice of webhooks, the same on both engines:
/// a channel is a webhook with `channel` set; `dead_count` only grows as deliveries die;
/// `alert_marks` keeps what the channels were last told of each webhook (`AlertMark`).
enum AlertSQL {
    static func migration(timestamp: String) -> String {
        """
        ALTER TABLE webhooks ADD COLUMN channel TEXT;
        ALTER TABLE webhooks ADD COLUMN dead_count INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE accounts ADD COLUMN alert_failures INTEGER NOT NULL DEFAULT \(AlertPolicy.standard.failures);
        ALTER TABLE accounts ADD COLUMN alert_digest_minutes INTEGER NOT NULL DEFAULT \(AlertPolicy.standard.digestMinutes);
        ALTER TABLE accounts ADD COLUMN alert_reminder_days TEXT NOT NULL DEFAULT '\(JSONValue.array(AlertPolicy.standard.reminderDays.map { .integer(Int64($0)) }).jsonText)';
        CREATE TABLE alert_marks (
            webhook_id TEXT PRIMARY KEY REFERENCES webhooks(id) ON DELETE CASCADE,
            told TEXT NOT NULL,
            down_since \(timestamp),
            reminders INTEGER NOT NULL,
            dead_told INTEGER NOT NULL,
            digest_at \(timestamp),
            remind_at \(timestamp)
        );
        CREATE INDEX webhooks_channels ON webhooks (account_id) WHERE channel IS NOT NULL
        """
    }

    /// Webhooks of accounts with an enabled channel whose alert state may change at `now`: what
    /// they are differs from what was told, a reminder is due, or deaths wait past the digest's
    /// period. Core's `AlertSweep` decides each; a steady outage is not read again until its
    /// next reminder. `enabled` is written as each engine stores a boolean.
    static func candidates(now: Int64, enabled: String) -> String {
        """
        SELECT w.*, a.alert_failures, a.alert_digest_minutes, a.alert_reminder_days,
            m.told, m.down_since, m.reminders, m.dead_told, m.digest_at
        FROM webhooks w JOIN accounts a ON a.id = w.account_id LEFT JOIN alert_marks m ON m.webhook_id = w.id
        WHERE w.channel IS NULL
            AND EXISTS (SELECT 1 FROM webhooks c WHERE c.account_id = w.account_id AND c.channel IS NOT NULL AND c.enabled = \(enabled))
            AND (
                CASE WHEN w.enabled <> \(enabled) THEN (CASE WHEN w.disabled_reason IS NULL THEN 'quiet' ELSE 'disabled' END)
                    WHEN w.consecutive_failures >= a.alert_failures THEN 'failing' ELSE 'quiet' END <> COALESCE(m.told, 'quiet')
                OR m.remind_at <= \(now)
                OR (w.dead_count > COALESCE(m.dead_told, 0) AND COALESCE(m.digest_at + a.alert_digest_minutes * 60000, 0) <= \(now)))
        ORDER BY w.id
        """
    }

    static func policy(failures: Int, digestMinutes: Int, reminderDays: String) -> AlertPolicy {
        let days = (try? JSONParser.parse(reminderDays))?.arrayValue?.compactMap { $0.integerValue.map(Int.init) } ?? AlertPolicy.standard.reminderDays
        return AlertPolicy(failures: failures, digestMinutes: digestMinutes, reminderDays: days)
    }

    static func reminderDaysText(_ policy: AlertPolicy) -> String {
        JSONValue.array(policy.reminderDays.map { .integer(Int64($0)) }).jsonText
    }
}
