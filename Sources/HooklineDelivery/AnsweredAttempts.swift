import Synchronization

/// Attempts of deliveries leased in this process whose requests have their answers but whose
/// records are not yet written. Their rows stay leased (a crash now sends them again), yet they are
/// no longer requests in flight, so they do not count against their webhook's limit: counted, they
/// made the limit cover the wait for the record's commit as well as the request, and a webhook at
/// the default limit of 8 took about half of what its receiver could.
///
/// A worker keeps one, adds each attempt as its answer comes, offers a snapshot with every lease
/// (`LeaseSlots.answered`), and forgets the attempts once their record's transaction is over.
final class AnsweredAttempts: Sendable {
    private struct State {
        var webhookByDelivery: [String: String] = [:]
        var byWebhook: [String: Set<String>] = [:]
    }

    private let state = Mutex(State())

    init() {}

    func add(deliveryID: String, webhookID: String) {
        state.withLock { state in
            guard state.webhookByDelivery.updateValue(webhookID, forKey: deliveryID) == nil else { return }
            state.byWebhook[webhookID, default: []].insert(deliveryID)
        }
    }

    /// Once their records are written (or failed): from then on their rows' leases tell.
    func remove(deliveryIDs: [String]) {
        state.withLock { state in
            for deliveryID in deliveryIDs {
                guard let webhookID = state.webhookByDelivery.removeValue(forKey: deliveryID) else { continue }
                state.byWebhook[webhookID]?.remove(deliveryID)
                if state.byWebhook[webhookID]?.isEmpty == true { state.byWebhook[webhookID] = nil }
            }
        }
    }

    /// By webhook id, the deliveries answered and not yet recorded.
    func snapshot() -> [String: Set<String>] {
        state.withLock { $0.byWebhook }
    }
}
