import HooklineCore

/// A worker's free slots, offered to a lease, an ingest or attempt records. The store claims one
/// per delivery while it leases, inside its transaction, so slots nobody needs stay free for the
/// others: reserving them before the transaction instead (plain values) was measured on
/// 2026-12-02 at 17–24 % more CPU per event end to end and under fan-out, since slots held
/// through a transaction keep concurrent ingests from leasing at once and send their deliveries
/// through another transaction. The worker (HooklineDelivery) implements it; the store knows it
/// only as this protocol.
public protocol LeaseOffer: AnyObject, Sendable {
    var owner: String { get }
    var leaseUntil: Timestamp { get }
    /// Claims one slot, or answers false when the worker has none free.
    func claim() -> Bool
    /// Of a webhook's leased rows, those whose requests are still out: the worker's attempts that
    /// have their answers but not yet their records are not.
    func requestsInFlight(leasedRows: Int, webhookID: String) -> Int
    /// Inside the transaction that records these deliveries' attempts: from then on their rows'
    /// leases tell whether they are in flight.
    func recording(deliveryIDs: [String])
}

extension LeaseOffer {
    /// Claims up to `count` slots, one by one while the worker grants them; answers how many.
    func claim(upTo count: Int) -> Int {
        var claimed = 0
        while claimed < count, claim() { claimed += 1 }
        return claimed
    }
}
