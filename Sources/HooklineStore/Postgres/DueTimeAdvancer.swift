import Logging
import PostgresNIO
import Synchronization

/// Moves webhooks' due times earlier after ingests whose transaction could not lock the webhook
/// (a worker held it). Each ingest returns once its webhook is due no later than its delivery.
/// While one write waits for a webhook's lock, a later ingest whose time is no earlier waits for
/// that write, and one with an earlier time for the next write, which takes the earliest of
/// theirs: one waiting statement, and one pool connection, per webhook instead of one per event.
/// At most `concurrentWrites` writes run at once, whatever the number of webhooks: each holds a
/// pool connection while it waits for a row, and the rest of the pool is the ingests', records'
/// and leases'.
final class DueTimeAdvancer: Sendable {
    /// A webhook with a write under way, of `writingDue`.
    private struct Webhook {
        var writingDue: Int64
        var writingWaiters: [CheckedContinuation<Bool, Never>] = []
        var nextDue: Int64?
        var nextWaiters: [CheckedContinuation<Bool, Never>] = []
    }

    private struct Writers {
        var free: Int
        var waiting: [CheckedContinuation<Void, Never>] = []
    }

    private let writing = Mutex<[String: Webhook]>([:])
    private let writers: Mutex<Writers>

    init(concurrentWrites: Int) {
        precondition(concurrentWrites > 0)
        writers = Mutex(Writers(free: concurrentWrites))
    }

    func advance(webhookID: String, to due: Int64, write: (Int64) async -> Void) async {
        // True for the caller who writes; the others are resumed (false) once a time no later
        // than theirs is written.
        let leads = await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            let leads = writing.withLock { state -> Bool in
                guard var webhook = state[webhookID] else {
                    state[webhookID] = Webhook(writingDue: due)
                    return true
                }
                if due >= webhook.writingDue {
                    webhook.writingWaiters.append(continuation)
                } else {
                    webhook.nextDue = min(webhook.nextDue ?? due, due)
                    webhook.nextWaiters.append(continuation)
                }
                state[webhookID] = webhook
                return false
            }
            if leads { continuation.resume(returning: true) }
        }
        guard leads else { return }
        var due = due
        while true {
            await writeInTurn(due, write)
            let (written, next) = writing.withLock { state -> ([CheckedContinuation<Bool, Never>], Int64?) in
                guard let webhook = state[webhookID] else { return ([], nil) }
                guard let nextDue = webhook.nextDue else {
                    state[webhookID] = nil
                    return (webhook.writingWaiters, nil)
                }
                state[webhookID] = Webhook(writingDue: nextDue, writingWaiters: webhook.nextWaiters)
                return (webhook.writingWaiters, nextDue)
            }
            for waiter in written { waiter.resume(returning: false) }
            guard let next else { return }
            due = next
        }
    }

    /// How many callers wait for a write of the webhook's: this one's, or the next.
    func waiters(of webhookID: String) -> Int {
        writing.withLock { state in state[webhookID].map { $0.writingWaiters.count + $0.nextWaiters.count } ?? 0 }
    }

    /// Runs `write` once fewer than `concurrentWrites` others run; the ones that wait go in their
    /// order of arrival.
    private func writeInTurn(_ due: Int64, _ write: (Int64) async -> Void) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let now = writers.withLock { writers -> Bool in
                guard writers.free > 0 else {
                    writers.waiting.append(continuation)
                    return false
                }
                writers.free -= 1
                return true
            }
            if now { continuation.resume() }
        }
        await write(due)
        // A waiting writer takes this one's turn; else the turn is free.
        let next = writers.withLock { writers -> CheckedContinuation<Void, Never>? in
            guard !writers.waiting.isEmpty else {
                writers.free += 1
                return nil
            }
            return writers.waiting.removeFirst()
        }
        next?.resume()
    }
}
