/// What replaying a delivery writes to it, whatever its status: pending, due at once, leased to
/// nobody, with a fresh retry schedule starting now (a replay of a dead delivery gets every retry
/// again). Its attempts stay: the replay adds to them.
public struct Replay: Sendable, Equatable {
    public var now: Timestamp

    public init(now: Timestamp) {
        self.now = now
    }

    public var status: DeliveryStatus { .pending }
    public var nextAttemptAt: Timestamp { now }
    public var scheduleStartedAt: Timestamp { now }
    public var scheduleAttempts: Int { 0 }
    public var updatedAt: Timestamp { now }
}
