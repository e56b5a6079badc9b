/// What the account's channels were last told of one webhook, kept beside it so each change is
/// told once, by whichever worker sweeps first.
public struct AlertMark: Sendable, Hashable {
    public enum Told: String, Sendable, Codable {
        /// Nothing outstanding: healthy, or disabled by a person.
        case quiet
        case failing
        /// Disabled by Hookline.
        case disabled
    }

    public var told: Told
    /// When the webhook went down, as the first alert of the outage said; reminders count from it.
    public var downSince: Timestamp?
    /// Reminders of this outage already sent (or skipped as passed before anyone was told).
    public var reminders: Int
    /// The webhook's count of dead deliveries the last digest covered.
    public var deadTold: Int
    /// When the last digest went.
    public var digestAt: Timestamp?

    /// When the next reminder is due by the policy; nil when none is left or nothing is down.
    public func remindAt(_ policy: AlertPolicy) -> Timestamp? {
        guard told != .quiet, let downSince, reminders < policy.reminderDays.count else { return nil }
        return downSince.adding(seconds: Double(policy.reminderDays[reminders]) * 86_400)
    }

    public static let quiet = AlertMark(told: .quiet, downSince: nil, reminders: 0, deadTold: 0, digestAt: nil)

    public init(told: Told, downSince: Timestamp?, reminders: Int, deadTold: Int, digestAt: Timestamp?) {
        self.told = told
        self.downSince = downSince
        self.reminders = reminders
        self.deadTold = deadTold
        self.digestAt = digestAt
    }
}

/// A webhook's attempts over the failure rate's window, and how many of them failed.
public struct AttemptRate: Sendable, Hashable {
    public var attempts: Int
    public var failed: Int

    public init(attempts: Int, failed: Int) {
        self.attempts = attempts
        self.failed = failed
    }
}

/// One alert to send to the account's channels that take its kind.
public struct Alert: Sendable, Hashable {
    public var kind: EventKind
    /// The webhook it is about: the alert's subject, so one webhook's alerts reach a channel in order.
    public var webhookID: String
    public var values: JSONObject

    public init(kind: EventKind, webhookID: String, values: JSONObject) {
        self.kind = kind
        self.webhookID = webhookID
        self.values = values
    }
}

/// Where an alert links to: pages of the web UI under the server's public address.
public struct AlertLinks: Sendable, Hashable {
    /// The address people reach the UI at, without a trailing slash.
    public var base: String

    public init(base: String) {
        self.base = base.hasSuffix("/") ? String(base.dropLast()) : base
    }

    public func webhook(_ id: String) -> String { base + "/webhooks/" + id }

    public func deadDeliveries(of webhookID: String) -> String { base + "/deliveries?webhook_id=" + webhookID + "&status=dead" }
}

extension Alert {
    /// What "send test" sends: an alert of `kind` marked as a test, saying so, linking to the
    /// Notifications page.
    public static func test(_ kind: EventKind, links: AlertLinks, now: Timestamp) -> Alert {
        let url = links.base + "/notifications"
        let values: JSONObject = [
            "alert_type": .string(kind.rawValue), "alert_time": .string(now.iso8601), "alert_test": true, "alert_url": .string(url),
            "alert_text": .string("Test from Hookline: this channel receives \(kind.rawValue) alerts. \(url)"),
            "webhook_id": "test", "webhook_name": "Test", "webhook_url": "https://example.com/hook", "failure_count": 0, "reminder_days": 0,
        ]
        return Alert(kind: kind, webhookID: "test", values: values)
    }
}
