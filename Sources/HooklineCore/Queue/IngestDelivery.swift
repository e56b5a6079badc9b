/// What ingest writes for one webhook that matches an event, decided from the rows the engine
/// read: whether the delivery waits behind an earlier one of its call or lead, when it is due,
/// whether it leaves at once leased to the ingesting process's worker, its `next_attempt_at`, and
/// whether the webhook's due time moves. An engine reads the facts and writes the answers.
public struct IngestDelivery: Sendable, Equatable {
    /// Behind an earlier pending delivery of the same call or lead to the same webhook: it waits
    /// with no due time (per-call order) until that one is delivered or dead.
    public let waitsBehindEarlier: Bool
    /// Its first attempt's time by the webhook's retry policy.
    public let due: Timestamp
    public let now: Timestamp

    /// Only an event that creates its call or lead can have no earlier delivery to wait behind:
    /// the engine looks for one otherwise.
    public static func checksOrder(of kind: EventKind) -> Bool { !kind.createsSubject }

    public init(retry: RetryPolicy, waitsBehindEarlier: Bool, now: Timestamp) {
        self.waitsBehindEarlier = waitsBehindEarlier
        self.due = now.adding(seconds: retry.delay(afterFailedAttempts: 0))
        self.now = now
    }

    /// Worth counting the webhook's requests in flight (and, on PostgreSQL, locking it) to lease
    /// at once: due now, not waiting, to a healthy endpoint that has not asked for a pause. A
    /// webhook with a rate limit is left to the worker's lease, the one place its tokens are spent.
    public func mayLeaseAtOnce(_ webhook: Webhook) -> Bool {
        !waitsBehindEarlier && due <= now && webhook.health.state == .healthy && !webhook.health.isPaused(at: now)
            && webhook.settings.rateLimit == nil
    }

    /// Leased at once, in the ingest's transaction: as `mayLeaseAtOnce`, with a free slot under
    /// the webhook's limit.
    public func leasesAtOnce(_ webhook: Webhook, inFlight: Int) -> Bool {
        mayLeaseAtOnce(webhook) && inFlight < webhook.settings.maxInFlight
    }

    /// None while it waits; the lease's end when leased (a lease that runs out makes it due
    /// again); otherwise its due time.
    public func nextAttemptAt(leasedUntil: Timestamp?) -> Timestamp? {
        waitsBehindEarlier ? nil : leasedUntil ?? due
    }

    /// Whether the webhook's due time must move to `next`: a webhook already due sooner (an
    /// earlier lease, say) needs no write.
    public static func movesDueTime(from current: Timestamp?, to next: Timestamp?) -> Bool {
        guard let next else { return false }
        return current.map { $0 > next } ?? true
    }
}
