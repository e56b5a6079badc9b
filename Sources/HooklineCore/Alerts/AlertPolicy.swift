/// An account's rules for alerting its notification channels: after how many attempts failed in a
/// row, or what share of its attempts over a window, a webhook is reported failing; how often
/// deliveries that died are summed up; and on which days a webhook still down is reported again
/// (as CallRail reminds at 7, 14 and 21 days).
public struct AlertPolicy: Sendable, Hashable {
    /// Attempts failed in a row before `webhook.failing`.
    public var failures: Int
    /// At most one `delivery.dead` digest per webhook in this many minutes.
    public var digestMinutes: Int
    /// Days down after which a reminder goes, ascending (the readers sort what people give).
    public var reminderDays: [Int]
    /// Also failing when this share of the attempts of the last minutes failed; nil: only the
    /// attempts in a row count.
    public var failureRate: FailureRate?

    /// At least `percent` % of at least `minimumAttempts` attempts in the last `minutes` failed.
    public struct FailureRate: Sendable, Hashable {
        public var percent: Int
        public var minutes: Int
        public var minimumAttempts: Int

        public static let percentRange = 1...100
        public static let minutesRange = 1...1_440
        public static let minimumAttemptsRange = 1...100_000

        public init(percent: Int, minutes: Int, minimumAttempts: Int) {
            self.percent = percent
            self.minutes = minutes
            self.minimumAttempts = minimumAttempts
        }

        /// Whether `failed` of `attempts` is over the rate; below it by half again, a webhook
        /// reported failing by its rate recovers, so one around the line is not told of each swing.
        public func exceeded(by measured: AttemptRate, recovering: Bool = false) -> Bool {
            guard measured.attempts >= minimumAttempts else { return false }
            return measured.failed * 100 >= (recovering ? percent / 2 : percent) * measured.attempts
        }
    }

    public static let standard = AlertPolicy(failures: EndpointHealth.failureThreshold, digestMinutes: 60, reminderDays: [1, 7, 14])
    public static let failuresRange = 1...1_000
    public static let digestMinutesRange = 1...10_080
    public static let reminderDaysRange = 1...365
    public static let mostReminders = 10

    public init(failures: Int, digestMinutes: Int, reminderDays: [Int], failureRate: FailureRate? = nil) {
        self.failureRate = failureRate
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
        if let rate = failureRate {
            if !FailureRate.percentRange.contains(rate.percent) { return ("failure_rate.percent", "must be a whole number from 1 to 100") }
            if !FailureRate.minutesRange.contains(rate.minutes) { return ("failure_rate.minutes", "must be a whole number of minutes from 1 to 1440") }
            if !FailureRate.minimumAttemptsRange.contains(rate.minimumAttempts) {
                return ("failure_rate.min_attempts", "must be a whole number from 1 to 100000")
            }
        }
        if reminderDays.count > Self.mostReminders { return ("reminder_days", "must hold at most \(Self.mostReminders) days") }
        for (index, day) in reminderDays.enumerated() {
            if !Self.reminderDaysRange.contains(day) { return ("reminder_days[\(index)]", "must be a whole number of days from 1 to 365") }
            if index > 0, day <= reminderDays[index - 1] { return ("reminder_days[\(index)]", "must be later than the day before it, once each") }
        }
        return nil
    }
}
