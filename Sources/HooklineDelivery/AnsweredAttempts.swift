import Synchronization

/// Attempts of deliveries leased in this process whose requests have their answers but whose
/// records are not yet written. Their rows stay leased (a crash now sends them again), yet they are
/// no longer requests in flight, so they do not count against their webhook's limit: counted, they
/// made the limit cover the wait for the record's commit as well as the request, and a webhook at
/// the default limit of 8 took about half of what its receiver could.
///
/// A worker keeps one, adds each attempt as its answer comes, and forgets it inside the
/// transaction that writes its record (`LeaseOffer.recording`).
final class AnsweredAttempts: Sendable {
    private struct State {
        var webhookByDelivery: [String: String] = [:]
        var countByWebhook: [String: Int] = [:]
    }

    private let state = Mutex(State())

    init() {}

    func add(deliveryID: String, webhookID: String) {
        state.withLock { state in
            guard state.webhookByDelivery.updateValue(webhookID, forKey: deliveryID) == nil else { return }
            state.countByWebhook[webhookID, default: 0] += 1
        }
    }

    func remove(deliveryIDs: [String]) {
        state.withLock { state in
            for deliveryID in deliveryIDs {
                guard let webhookID = state.webhookByDelivery.removeValue(forKey: deliveryID) else { continue }
                let left = (state.countByWebhook[webhookID] ?? 1) - 1
                state.countByWebhook[webhookID] = left > 0 ? left : nil
            }
        }
    }

    /// Of a webhook's leased rows, those whose requests are still out.
    func requestsInFlight(leasedRows: Int, webhookID: String) -> Int {
        max(0, leasedRows - state.withLock { $0.countByWebhook[webhookID] ?? 0 })
    }
}
