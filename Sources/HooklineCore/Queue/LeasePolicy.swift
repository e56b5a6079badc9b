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
    public static func take(health: EndpointHealth, maxInFlight: Int, leasedRows: Int, inFlight: Int, now: Timestamp) -> Take {
        if health.isPaused(at: now) { return .nothing }
        switch health.state {
        case .healthy:
            let free = maxInFlight - inFlight
            return free > 0 ? .due(limit: free) : .nothing
        case .failing:
            // A probe counts until its record says how it went, answered or not.
            guard leasedRows == 0, (health.nextProbeAt ?? now) <= now else { return .nothing }
            return .probe
        }
    }

    /// When a webhook next has something to lease: its earliest waiting delivery while it has free
    /// slots, else its earliest lease to run out; while failing, the probe time (or the probe's
    /// lease running out); never before a pause the receiver asked for ends. Nil when it has nothing.
    ///
    /// - Parameters:
    ///   - inFlight: leased rows whose leases have not run out.
    ///   - firstWaiting: the earliest due time of a delivery that is not waiting behind another of
    ///     its call, counting leases that have run out as due.
    ///   - firstExpiry: the earliest time a lease runs out.
    public static func dueTime(
        health: EndpointHealth, maxInFlight: Int, inFlight: Int, firstWaiting: Timestamp?, firstExpiry: Timestamp?, now: Timestamp
    ) -> Timestamp? {
        let due: Timestamp? =
            switch health.state {
            case .failing: inFlight > 0 ? firstExpiry : firstWaiting.map { _ in health.nextProbeAt ?? now }
            case .healthy: inFlight < maxInFlight ? [firstWaiting, firstExpiry].compactMap { $0 }.min() : firstExpiry
            }
        // While the receiver's pause holds, nothing is due before its end.
        guard let due, let paused = health.pausedUntil, paused > now else { return due }
        return max(due, paused)
    }
}
