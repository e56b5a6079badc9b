/// What may be leased from a webhook, and when it next has something to lease: the rules every
/// store engine applies to the rows it reads, so that the in-flight limit, endpoint health and
/// its single probe mean the same on each.
///
/// "In flight" counts a webhook's leased rows whose requests are still out: rows leased by any
/// worker, less the attempts of this process that have their answer but not yet their record.
public enum LeasePolicy {
    /// How much of a webhook's queue one lease may take.
    public enum Take: Sendable, Equatable {
        case nothing
        /// Deliveries due now, up to this many.
        case due(limit: Int)
        /// A failing endpoint's one probe: its earliest waiting delivery (due or not), or a lease
        /// that ran out.
        case probe
    }

    /// - Parameters:
    ///   - leasedRows: the webhook's deliveries leased by any worker whose leases have not run out.
    ///   - inFlight: of those, the ones whose requests are still out.
    ///   - allowance: how many requests its rate limit lets leave now (`RateLimit.allowance`).
    ///   - firstWaiting: as `dueTime` reads it. With nothing waiting, or nothing due while
    ///     healthy, there is nothing to take, and an engine reads no delivery.
    public static func take(
        health: EndpointHealth, maxInFlight: Int, leasedRows: Int, inFlight: Int, allowance: Int = .max, firstWaiting: Timestamp?, now: Timestamp
    ) -> Take {
        guard !health.isPaused(at: now), allowance > 0, let firstWaiting else { return .nothing }
        switch health.state {
        case .healthy:
            let free = min(maxInFlight - inFlight, allowance)
            return free > 0 && firstWaiting <= now ? .due(limit: free) : .nothing
        case .failing:
            // A probe counts until its record says how it went, answered or not.
            guard leasedRows == 0, (health.nextProbeAt ?? now) <= now else { return .nothing }
            return .probe
        }
    }

    /// When a webhook next has something to lease: its earliest waiting delivery while it has free
    /// slots, else its earliest lease to run out; while failing, the probe time (or the probe's
    /// lease running out); never before a pause the receiver asked for ends, nor before its rate
    /// limit has a token. Nil when it has nothing.
    ///
    /// - Parameters:
    ///   - inFlight: leased rows whose leases have not run out.
    ///   - firstWaiting: the earliest due time of a delivery that is not waiting behind another of
    ///     its call, counting leases that have run out as due.
    ///   - firstExpiry: the earliest time a lease runs out.
    ///   - rateWait: when its emptied rate limit has a token again (`RateBucket.wait`).
    public static func dueTime(
        health: EndpointHealth, maxInFlight: Int, inFlight: Int, firstWaiting: Timestamp?, firstExpiry: Timestamp?, rateWait: Timestamp? = nil,
        now: Timestamp
    ) -> Timestamp? {
        let due: Timestamp? =
            switch health.state {
            case .failing: inFlight > 0 ? firstExpiry : firstWaiting.map { _ in health.nextProbeAt ?? now }
            case .healthy: inFlight < maxInFlight ? [firstWaiting, firstExpiry].compactMap { $0 }.min() : firstExpiry
            }
        // Nothing is due before the receiver's pause ends, nor before the rate limit has a token.
        let notBefore = [health.isPaused(at: now) ? health.pausedUntil : nil, rateWait].compactMap { $0 }.max()
        guard let due, let notBefore else { return due }
        return max(due, notBefore)
    }
}
