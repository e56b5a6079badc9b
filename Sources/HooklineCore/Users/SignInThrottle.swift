/// How sign-ins for one email are slowed down. Every attempt reserves its own moment to have its
/// password checked, counted as a failure until it succeeds: the first few cost nothing, then each
/// waits twice as long as the one before, after the ones already waiting. So attempts sent at once
/// wait in turn, the sum of their delays, never the same delay side by side. An attempt that would
/// wait past `maximumDelay` is refused without a check. A right password, or a quiet quarter of an
/// hour, starts over. The store keeps one per email, for every process.
public struct SignInThrottle: Sendable, Equatable {
    public static let freeFailures = 3
    public static let maximumDelay = 30.0
    public static let forgetAfter = 15 * 60.0

    public enum Reservation: Sendable, Equatable {
        /// Check the password at this moment, not before.
        case checkAt(Timestamp)
        /// Too many attempts wait already: none is checked; try again after these seconds.
        case refused(retryAfter: Double)
    }

    public private(set) var failures: Int
    public private(set) var lastFailure: Timestamp?
    /// The moment the last reserved attempt has its password checked.
    public private(set) var reservedUntil: Timestamp?

    public init(failures: Int = 0, lastFailure: Timestamp? = nil, reservedUntil: Timestamp? = nil) {
        self.failures = failures
        self.lastFailure = lastFailure
        self.reservedUntil = reservedUntil
    }

    /// The store's key for an email (already trimmed and lowercased): a fixed-size digest, so an
    /// email of any length costs the same row.
    public static func key(email: String) -> String { APIKey.digest("sign-in:" + email) }

    /// Seconds an attempt waits after `failures` failures.
    public static func delay(afterFailures failures: Int) -> Double {
        guard failures >= freeFailures else { return 0 }
        var delay = 1.0
        for _ in 0..<(failures - freeFailures) where delay < maximumDelay { delay *= 2 }
        return min(delay, maximumDelay)
    }

    public mutating func reserve(now: Timestamp) -> Reservation {
        if isSpent(now: now) { self = SignInThrottle() }
        let start = max(now, reservedUntil ?? now)
        let slot = start.adding(seconds: Self.delay(afterFailures: failures))
        let wait = slot.seconds(since: now)
        guard wait <= Self.maximumDelay else { return .refused(retryAfter: max(1, start.seconds(since: now))) }
        failures += 1
        lastFailure = now
        reservedUntil = slot
        return .checkAt(slot)
    }

    /// Whether this state can be forgotten: nothing would slow the next sign-in.
    public func isSpent(now: Timestamp) -> Bool {
        let quiet = lastFailure.map { now.seconds(since: $0) >= Self.forgetAfter } ?? true
        return quiet && (reservedUntil.map { $0 <= now } ?? true)
    }
}
