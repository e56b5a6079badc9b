import HooklineCore
import HooklineStore
import Synchronization

/// Attempt results on their way to the store: whoever finds no flush under way writes all that
/// wait, so one transaction (and one due-time refresh per webhook) serves many attempts.
extension DeliveryWorker {
    func record(_ result: AttemptResult) async {
        let flushes = records.withLock { queue -> Bool in
            queue.pending.append(result)
            guard !queue.flushing else { return false }
            queue.flushing = true
            return true
        }
        guard flushes else { return }
        var backoff = Duration.milliseconds(200)
        while true {
            let batch = records.withLock { queue -> [AttemptResult] in
                defer { queue.pending = [] }
                if queue.pending.isEmpty { queue.flushing = false }
                return queue.pending
            }
            if batch.isEmpty { return }
            // The slots these attempts free at their webhooks go at once to what is waiting there.
            let offer = leaseOffer(now: .now)
            var recorded = false
            do {
                let jobs = try await store.recordAttempts(batch, leasing: offer)
                if let offer { accept(jobs, from: offer) }
                held.withLock { $0.subtract(batch.map(\.deliveryID)) }
                backoff = .milliseconds(200)
                recorded = true
            } catch {
                if let offer { refuse(offer, after: error) }
                if let failure = error as? StoreError, !failure.refusesTheRequest {
                    // The store will take them again: what the receivers answered is kept and
                    // written then; leases left to run out would hold their webhooks' slots.
                    logger.error("recording attempts failed; trying again", metadata: ["count": "\(batch.count)", "error": "\(String(reflecting: error))"])
                    records.withLock { $0.pending.insert(contentsOf: batch, at: 0) }
                } else {
                    // A refusal that repeats: the leases run out and the deliveries go again,
                    // at least once, never lost, and the attempts after these are not held up.
                    logger.error("recording attempts failed", metadata: ["count": "\(batch.count)", "error": "\(String(reflecting: error))"])
                    held.withLock { $0.subtract(batch.map(\.deliveryID)) }
                }
                try? await Task.sleep(for: backoff)
                backoff = min(backoff * 2, .seconds(5))
                // Cut off at shutdown: the leases are given back, or run out, and are sent again.
                if Task.isCancelled {
                    records.withLock { $0 = RecordQueue() }
                    return
                }
            }
            // Recorded or not, their rows' leases tell from now on (a store with an offer forgot
            // them inside its transaction already).
            answered.remove(deliveryIDs: batch.map(\.deliveryID))
            if !recorded || Self.mayLeaveWorkDue(batch, offer: offer) { wakeup.signal() }
        }
    }

    /// Whether the lease loop must look for work after recording `batch`. The record's own lease
    /// took what the freed slots at those webhooks could (a call's next delivery included), and
    /// slots freed for other webhooks wake the loop when it waits for them (`freeSlots`). Left are
    /// a lease that ran short of slots or could not be offered, and a retry due before the time
    /// the loop sleeps to. At a low rate this spares each event a read and two wake-ups.
    static func mayLeaveWorkDue(_ batch: [AttemptResult], offer: WorkerLeaseOffer?) -> Bool {
        guard let offer, !offer.ranShort else { return true }
        return batch.contains { result in
            if case .retry = result.verdict { true } else { false }
        }
    }
}

