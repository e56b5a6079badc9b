import HooklineCore

/// A webhook's queue as `LeasePolicy` reads it, read in one statement under the webhook's lock
/// (PostgreSQL's row lock, SQLite's write transaction): what a lease may take and when the
/// webhook is next due follow from that read and what the lease itself changed.
struct WebhookQueueState {
    var health: EndpointHealth
    var maxInFlight: Int
    /// Leased rows whose leases have not run out.
    var inFlight: Int
    /// The earliest due time of a delivery not waiting behind another, a lease run out counting as due.
    var firstWaiting: Timestamp?
    var firstExpiry: Timestamp?
    var rateWait: Timestamp?

    /// The state once `count` deliveries that were waiting are leased until `leaseUntil`, with
    /// `firstWaiting` the first delivery still waiting.
    func leasing(_ count: Int, until leaseUntil: Timestamp, firstWaiting: Timestamp?) -> WebhookQueueState {
        var state = self
        state.inFlight += count
        state.firstExpiry = min(firstExpiry ?? leaseUntil, leaseUntil)
        state.firstWaiting = firstWaiting
        return state
    }

    func dueTime(now: Timestamp) -> Timestamp? {
        LeasePolicy.dueTime(
            health: health, maxInFlight: maxInFlight, inFlight: inFlight, firstWaiting: firstWaiting, firstExpiry: firstExpiry, rateWait: rateWait, now: now)
    }
}
