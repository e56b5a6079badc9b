/// When to try a failed delivery again: a schedule of delays (seconds after the previous attempt,
/// the first one counted from acceptance), whose last delay repeats, until `maximumAge` has passed
/// since the delivery was accepted. Past it the delivery is dead.
public struct RetryPolicy: Sendable, Hashable, Codable {
    public var schedule: [Double]
    public var maximumAge: Double

    /// 0, 10 s, 1 min, 5 min, 15 min, 30 min, 1 h, then hourly, for at least 3 days.
    public static let standard = RetryPolicy(schedule: [0, 10, 60, 300, 900, 1800, 3600], maximumAge: 3 * 86_400)

    /// Limits that keep a typo from scheduling a retry in a year.
    public static let longestDelay: Double = 7 * 86_400
    public static let longestMaximumAge: Double = 30 * 86_400
    public static let mostSteps = 50

    public init(schedule: [Double], maximumAge: Double) {
        self.schedule = schedule
        self.maximumAge = maximumAge
    }

    /// Fraction of a delay added or taken away at random, so retries of many deliveries that failed
    /// together do not arrive together.
    public static let jitter = 0.1

    /// The delay before attempt number `attempt + 1`, after `attempt` attempts have failed.
    public func delay(afterFailedAttempts attempts: Int) -> Double {
        schedule[min(max(attempts, 0), schedule.count - 1)]
    }

    public enum Decision: Sendable, Equatable {
        case retry(at: Timestamp)
        case giveUp
    }

    /// What to do after the `attempts`-th failed attempt at `now`, for a delivery whose schedule
    /// started at `start`. `unit` is a random number in 0..<1 that sets the jitter.
    public func decide(afterFailedAttempts attempts: Int, start: Timestamp, now: Timestamp, unit: Double) -> Decision {
        let age = now.secondsSince1970 - start.secondsSince1970
        guard age < maximumAge else { return .giveUp }
        let base = delay(afterFailedAttempts: attempts)
        let jittered = base * (1 + RetryPolicy.jitter * (2 * unit - 1))
        return .retry(at: now.adding(seconds: max(0, jittered)))
    }

    public func validated() throws(FieldError) -> RetryPolicy {
        guard !schedule.isEmpty else { throw FieldError("retry.schedule", "must hold at least one delay") }
        guard schedule.count <= RetryPolicy.mostSteps else {
            throw FieldError("retry.schedule", "may hold at most \(RetryPolicy.mostSteps) delays")
        }
        for (index, delay) in schedule.enumerated() where !(delay >= 0 && delay <= RetryPolicy.longestDelay) {
            throw FieldError("retry.schedule[\(index)]", "must be between 0 and \(Int(RetryPolicy.longestDelay)) seconds")
        }
        guard maximumAge > 0, maximumAge <= RetryPolicy.longestMaximumAge else {
            throw FieldError("retry.max_age", "must be more than 0 and at most \(Int(RetryPolicy.longestMaximumAge)) seconds")
        }
        return self
    }
}
