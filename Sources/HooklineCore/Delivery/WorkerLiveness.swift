/// When a delivery worker counts as dead: it writes a heartbeat every `heartbeatInterval`, and one
/// silent for `silenceLimit` has its leases released to the living, so a crash holds deliveries
/// (and its webhooks' in-flight slots) for seconds instead of a whole lease.
public struct WorkerLiveness: Sendable, Hashable {
    public var silenceLimit: Duration

    public static let standard = WorkerLiveness(silenceLimit: .seconds(15))

    public init(silenceLimit: Duration) {
        self.silenceLimit = silenceLimit
    }

    /// A fifth of the limit: four heartbeats may be lost to a slow or busy moment before the worker
    /// is taken for dead.
    public var heartbeatInterval: Duration { silenceLimit / 5 }

    /// Workers whose last heartbeat is older than this, at `now`, are dead.
    public func silentBefore(_ now: Timestamp) -> Timestamp {
        Timestamp(millisecondsSince1970: now.millisecondsSince1970 - silenceLimit.wholeMilliseconds)
    }
}
