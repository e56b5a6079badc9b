/// How repeated wrong passwords for one email are slowed down: the first few wrong tries cost
/// nothing, then each waits twice as long as the one before, up to a limit; a right password,
/// or a quiet quarter of an hour, starts over.
public struct SignInThrottle: Sendable, Equatable {
    public static let freeFailures = 3
    public static let maximumDelay = 30.0
    public static let forgetAfter = 15 * 60.0

    public private(set) var failures = 0
    public private(set) var lastFailure: Timestamp?

    public init() {}

    /// Seconds a sign-in must wait before its password is checked.
    public func delay(now: Timestamp) -> Double {
        guard let lastFailure, Self.seconds(from: lastFailure, to: now) < Self.forgetAfter, failures >= Self.freeFailures else { return 0 }
        var delay = 1.0
        for _ in 0..<(failures - Self.freeFailures) where delay < Self.maximumDelay { delay *= 2 }
        return min(delay, Self.maximumDelay)
    }

    public mutating func failed(now: Timestamp) {
        if let lastFailure, Self.seconds(from: lastFailure, to: now) >= Self.forgetAfter { failures = 0 }
        failures += 1
        lastFailure = now
    }

    /// Whether this state can be forgotten: nothing would slow the next sign-in.
    public func isSpent(now: Timestamp) -> Bool {
        lastFailure.map { Self.seconds(from: $0, to: now) >= Self.forgetAfter } ?? true
    }

    private static func seconds(from start: Timestamp, to end: Timestamp) -> Double {
        Double(end.millisecondsSince1970 - start.millisecondsSince1970) / 1000
    }
}
