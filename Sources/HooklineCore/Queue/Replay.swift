/// What replaying a delivery writes to it, whatever its status: pending, due at once, leased to
/// nobody, with a fresh retry schedule starting now (a replay of a dead delivery gets every retry
/// again). Its attempts stay: the replay adds to them.
public struct Replay: Sendable, Equatable {
    public let status: DeliveryStatus = .pending
    public var nextAttemptAt: Timestamp
    public var scheduleStartedAt: Timestamp
    public let scheduleAttempts = 0
    public var updatedAt: Timestamp

    public init(now: Timestamp) {
        nextAttemptAt = now
        scheduleStartedAt = now
        updatedAt = now
    }
}
