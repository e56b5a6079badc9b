import HooklineCore

/// Free slots of a worker, offered with its lease, with an ingest or with attempt records: the
/// store leases at most `count` deliveries to `owner`, until `leaseUntil`, and answers them; the
/// worker takes back the slots they did not use. Plain values: the store calls nothing of the
/// worker's while its transaction is open.
public struct LeaseSlots: Sendable {
    public var owner: String
    public var leaseUntil: Timestamp
    public var count: Int
    /// By webhook id: deliveries leased to `owner` whose requests have their answers but whose
    /// records are not yet written. Their rows are leased, but they are no longer requests in
    /// flight, so they do not count against their webhook's limit. A snapshot: one answered
    /// later counts as in flight (the safe side), and one recorded since is no longer leased.
    public var answered: [String: Set<String>]

    public init(owner: String, leaseUntil: Timestamp, count: Int, answered: [String: Set<String>] = [:]) {
        self.owner = owner
        self.leaseUntil = leaseUntil
        self.count = count
        self.answered = answered
    }

    /// The answered deliveries of one webhook, as a statement binds them.
    func answered(at webhookID: String) -> [String] {
        answered[webhookID].map { $0.sorted() } ?? []
    }
}

/// A webhook's leased rows (by any worker, not run out) and, of those, its requests in flight:
/// the rows less the answered deliveries of `LeaseSlots`.
struct LeasedRows {
    var leased: Int
    var inFlight: Int
}
