/// How long finished deliveries (delivered or dead), their attempts and their events are kept, and
/// calls, leads and idempotency keys after they were last used.
/// Pending deliveries are kept however old: they are the queue.
public struct Retention: Sendable, Hashable {
    /// Days a finished delivery is kept after it finished; nil keeps everything.
    public var days: Int?
    /// Deliveries (with their attempts) purged by one transaction: small enough that a purge
    /// holds nothing an ingest waits for for long.
    public var batchSize: Int
    /// Time between sweeps.
    public var interval: Duration

    public static let standard = Retention(days: 30)
    public static let finishedStatuses: [DeliveryStatus] = [.delivered, .dead]

    public init(days: Int?, batchSize: Int = 500, interval: Duration = .seconds(600)) {
        self.days = days
        self.batchSize = batchSize
        self.interval = interval
    }

    /// What finished before this is purged; nil when everything is kept.
    public func cutoff(now: Timestamp) -> Timestamp? {
        days.map { now.adding(seconds: -Double($0) * 86_400) }
    }

    /// One batch of the sweep at `now`; nil when everything is kept.
    public func plan(now: Timestamp) -> PurgePlan? {
        cutoff(now: now).map { PurgePlan(cutoff: $0, limit: batchSize) }
    }
}

/// What one purge removes: an engine binds these values in its statements and decides nothing.
/// Each kind of row goes in batches of at most `limit`; what a delivery still refers to stays.
public struct PurgePlan: Sendable, Hashable {
    /// Deliveries in these statuses (never pending: the queue) last changed before
    /// `finishedBefore`, with their attempts.
    public let finishedStatuses: [DeliveryStatus]
    public let finishedBefore: Timestamp
    /// Events made before this that no delivery is left of.
    public let eventsBefore: Timestamp
    /// Calls and leads last heard of before this (a call's end, else its start; a lead's last
    /// message, else its creation) that no delivery refers to, with their captures.
    public let idleSubjectsBefore: Timestamp
    /// Idempotency keys made before this, and sign-in throttles whose last failure and
    /// reservation are both before it.
    public let keysBefore: Timestamp
    public let limit: Int

    /// Everything older than the cutoff, by one clock: a call is kept as long as the deliveries
    /// that render it.
    public init(cutoff: Timestamp, limit: Int) {
        finishedStatuses = Retention.finishedStatuses
        (finishedBefore, eventsBefore, idleSubjectsBefore, keysBefore) = (cutoff, cutoff, cutoff, cutoff)
        self.limit = limit
    }
}
