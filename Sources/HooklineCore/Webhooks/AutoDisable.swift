/// An account's rule for webhooks that stay down: one failing without a success for `days` days
/// is disabled by Hookline, its pending deliveries kept to flush in order when someone enables it
/// again (as Svix does after 5 days). Zero days: never.
public struct AutoDisable: Sendable, Hashable {
    public var days: Int

    public static let standard = AutoDisable(days: 5)
    public static let longestDays = 365

    public init(days: Int) {
        self.days = days
    }

    /// A failing webhook whose failure began at or before this time is disabled at `now`; nil
    /// when the account never disables.
    public func failingSinceCutoff(now: Timestamp) -> Timestamp? {
        days > 0 ? now.adding(seconds: -Double(days) * 86_400) : nil
    }

    /// Whether `webhook` is disabled at `now`: enabled, failing (no success since it began), for
    /// at least the account's days.
    public func disables(_ webhook: Webhook, now: Timestamp) -> Bool {
        guard webhook.settings.enabled, webhook.health.state == .failing, let since = webhook.health.failingSince,
            let cutoff = failingSinceCutoff(now: now)
        else { return false }
        return since <= cutoff
    }

    /// The webhook's `disabled_reason`.
    public var reason: String { "failing without a success for \(days) day\(days == 1 ? "" : "s")" }
}
