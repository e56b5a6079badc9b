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
}
