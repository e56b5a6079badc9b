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
        ALTER TABLE accounts ADD COLUMN alert_failure_rate TEXT;
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
    /// period; or, when the account watches a failure rate, whose last attempt failed. Core's
    /// `AlertSweep` decides each; a steady outage is not read again until its next reminder.
    /// `enabled` is written as each engine stores a boolean.
    static func candidates(now: Int64, enabled: String) -> String {
        """
        \(webhookWithMark)
        WHERE w.channel IS NULL
            AND EXISTS (SELECT 1 FROM webhooks c WHERE c.account_id = w.account_id AND c.channel IS NOT NULL AND c.enabled = \(enabled))
            AND (
                CASE WHEN w.enabled <> \(enabled) THEN (CASE WHEN w.disabled_reason IS NULL THEN 'quiet' ELSE 'disabled' END)
                    WHEN w.consecutive_failures >= a.alert_failures THEN 'failing' ELSE 'quiet' END <> COALESCE(m.told, 'quiet')
                OR m.remind_at <= \(now)
                OR (a.alert_failure_rate IS NOT NULL AND w.consecutive_failures > 0)
                OR (w.dead_count > COALESCE(m.dead_told, 0) AND COALESCE(m.digest_at + a.alert_digest_minutes * 60000, 0) <= \(now)))
        ORDER BY w.id
        """
    }

    /// A webhook with its account's rules and its mark, as the sweep reads it.
    static let webhookWithMark = """
        SELECT w.*, a.alert_failures, a.alert_digest_minutes, a.alert_reminder_days, a.alert_failure_rate,
            m.told, m.down_since, m.reminders, m.dead_told, m.digest_at
        FROM webhooks w JOIN accounts a ON a.id = w.account_id LEFT JOIN alert_marks m ON m.webhook_id = w.id
        """

    /// The attempts, and those failed, of a webhook's deliveries made since the window's start,
    /// in it: read by the webhook's deliveries index over ids made since then (`index` names it
    /// where the engine takes a hint), the webhook, the lowest id and the start bound in that order.
    static func attemptRate(index: String = "") -> String {
        """
        SELECT COUNT(*) AS attempts, COALESCE(SUM(CASE WHEN a.error_kind IS NULL THEN 0 ELSE 1 END), 0) AS failed
        FROM deliveries d \(index) JOIN attempts a ON a.delivery_id = d.id
        WHERE d.webhook_id = $1 AND d.id >= $2 AND a.started_at >= $3
        """
    }

    static func policy(failures: Int, digestMinutes: Int, reminderDays: String, failureRate: String?) -> AlertPolicy {
        let days = (try? JSONParser.parse(reminderDays))?.arrayValue?.compactMap { $0.integerValue.map(Int.init) } ?? AlertPolicy.standard.reminderDays
        let rate = failureRate.flatMap { try? JSONParser.parse($0) }.flatMap { value -> AlertPolicy.FailureRate? in
            guard let percent = value["percent"]?.integerValue, let minutes = value["minutes"]?.integerValue, let minimum = value["min_attempts"]?.integerValue
            else { return nil }
            return AlertPolicy.FailureRate(percent: Int(percent), minutes: Int(minutes), minimumAttempts: Int(minimum))
        }
        return AlertPolicy(failures: failures, digestMinutes: digestMinutes, reminderDays: days, failureRate: rate)
    }

    static func reminderDaysText(_ policy: AlertPolicy) -> String {
        JSONValue.array(policy.reminderDays.map { .integer(Int64($0)) }).jsonText
    }

    static func failureRateText(_ policy: AlertPolicy) -> String? {
        policy.failureRate.map { rate in
            JSONValue.object(["percent": .integer(Int64(rate.percent)), "minutes": .integer(Int64(rate.minutes)), "min_attempts": .integer(Int64(rate.minimumAttempts))]).jsonText
        }
    }

    /// Where the rate's window begins, and the lowest delivery id made in it.
    static func window(_ rate: AlertPolicy.FailureRate, now: Timestamp) -> (start: Int64, lowestID: String) {
        let start = now.adding(seconds: -Double(rate.minutes) * 60)
        return (start.millisecondsSince1970, Identifier.bound("dlv", before: start))
    }
}
