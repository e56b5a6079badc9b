import HooklineCore
import HooklineStore
import Synchronization

/// The worker's `LeaseOffer`: its slots, claimed through `take`, and its answered attempts.
final class WorkerLeaseOffer: LeaseOffer {
    let owner: String
    let leaseUntil: Timestamp
    private let answered: AnsweredAttempts
    private let take: @Sendable () -> Bool
    private let claims = Atomic<Int>(0)
    private let refusals = Atomic<Int>(0)

    init(owner: String, leaseUntil: Timestamp, answered: AnsweredAttempts, take: @escaping @Sendable () -> Bool) {
        self.owner = owner
        self.leaseUntil = leaseUntil
        self.answered = answered
        self.take = take
    }

    func claim() -> Bool {
        guard take() else {
            refusals.add(1, ordering: .relaxed)
            return false
        }
        claims.add(1, ordering: .relaxed)
        return true
    }

    func requestsInFlight(leasedRows: Int, webhookID: String) -> Int {
        answered.requestsInFlight(leasedRows: leasedRows, webhookID: webhookID)
    }

    func recording(deliveryIDs: [String]) {
        answered.remove(deliveryIDs: deliveryIDs)
    }

    /// Slots claimed so far.
    var claimed: Int { claims.load(ordering: .relaxed) }

    /// Whether the store wanted a slot this worker did not have: work may be left due.
    var ranShort: Bool { refusals.load(ordering: .relaxed) > 0 }
}
