import HooklineCore
import Synchronization

/// A worker's free slots, offered to ingest, to attempt records and to the worker's own lease. The
/// store claims one per delivery it leases, while it leases, so slots nobody needs stay free for
/// the others; the worker takes back what was claimed but not handed over (a write that failed).
public final class LeaseOffer: Sendable {
    public let owner: String
    public let leaseUntil: Timestamp
    /// The worker's attempts answered but not yet recorded: they no longer count in flight.
    public let answered: AnsweredAttempts
    private let take: @Sendable () -> Bool
    private let claims = Atomic<Int>(0)

    /// `take` reserves one of the worker's slots, or answers false when none is free.
    public init(owner: String, leaseUntil: Timestamp, answered: AnsweredAttempts = AnsweredAttempts(), take: @escaping @Sendable () -> Bool) {
        self.owner = owner
        self.leaseUntil = leaseUntil
        self.answered = answered
        self.take = take
    }

    public func claim() -> Bool {
        guard take() else { return false }
        claims.add(1, ordering: .relaxed)
        return true
    }

    /// Claims up to `count` slots, one by one while the worker grants them; answers how many.
    public func claim(upTo count: Int) -> Int {
        var claimed = 0
        while claimed < count, claim() { claimed += 1 }
        return claimed
    }

    /// Slots claimed so far.
    public var claimed: Int { claims.load(ordering: .relaxed) }
}
