/// An account's rules for alerting its notification channels: after how many attempts failed in a
/// row a webhook is reported failing, how often deliveries that died are summed up, and on which
/// days a webhook still down is reported again (as CallRail reminds at 7, 14 and 21 days).
public struct AlertPolicy: Sendable, Hashable {
    /// Attempts failed in a row before `webhook.failing`.
    public var failures: Int
    /// At most one `delivery.dead` digest per webhook in this many minutes.
    public var digestMinutes: Int
    /// Days down after which a reminder goes, ascending (the readers sort what people give).
    public var reminderDays: [Int]

    public static let standard = AlertPolicy(failures: EndpointHealth.failureThreshold, digestMinutes: 60, reminderDays: [1, 7, 14])
    public static let failuresRange = 1...1_000
    public static let digestMinutesRange = 1...10_080
    public static let reminderDaysRange = 1...365
    public static let mostReminders = 10

    public init(failures: Int, digestMinutes: Int, reminderDays: [Int]) {
        self.failures = failures
        self.digestMinutes = digestMinutes
        self.reminderDays = reminderDays
    }

    /// What is wrong with the policy, as (field, message), or nil when it can be kept.
    public var problem: (field: String, message: String)? {
        if !Self.failuresRange.contains(failures) {
            return ("failures", "must be a whole number from \(Self.failuresRange.lowerBound) to \(Self.failuresRange.upperBound)")
        }
        if !Self.digestMinutesRange.contains(digestMinutes) {
            return ("digest_minutes", "must be a whole number of minutes from \(Self.digestMinutesRange.lowerBound) to \(Self.digestMinutesRange.upperBound)")
        }
        if reminderDays.count > Self.mostReminders { return ("reminder_days", "must hold at most \(Self.mostReminders) days") }
        for (index, day) in reminderDays.enumerated() {
            if !Self.reminderDaysRange.contains(day) { return ("reminder_days[\(index)]", "must be a whole number of days from 1 to 365") }
            if index > 0, day <= reminderDays[index - 1] { return ("reminder_days[\(index)]", "must be later than the day before it, once each") }
        }
        return nil
    }
}
