/// Conditions on `deliveries` that more than one statement needs, so each reads a state the same
/// way (SQLite has its own, `SQLiteStore.leasedDeliveries`).
enum DeliveryPredicates {
    /// A delivery counted against its webhook's in-flight limit at `now` (an SQL expression): pending,
    /// leased, and its lease not run out. The partial index `deliveries_leased` serves it.
    static func leased(at now: String) -> String {
        "status = 'pending' AND next_attempt_at > \(now) AND lease_owner IS NOT NULL"
    }
}
