import Logging
import PostgresNIO
import Synchronization

/// Moves webhooks' due times earlier after ingests whose transaction could not lock the webhook
/// (a worker held it). Each ingest returns once its webhook is due no later than its delivery,
/// but while one write waits for a webhook's lock, later ingests for that webhook wait for the
/// next write, which takes the earliest of their times: one waiting statement, and one pool
/// connection, per webhook instead of one per event. At most `concurrentWrites` writes run at
/// once, whatever the number of webhooks: each holds a pool connection while it waits for a row,
/// and the rest of the pool is the ingests', records' and leases'.
final class DueTimeAdvancer: Sendable {
    private struct Webhook {
        var nextDue: Int64?
        var nextWaiters: [CheckedContinuation<Bool, Never>] = []
    }

    private struct Writers {
        var free: Int
        var waiting: [CheckedContinuation<Void, Never>] = []
    }

    /// Webhooks with a write under way.
    private let writing = Mutex<[String: Webhook]>([:])
    private let writers: Mutex<Writers>

    init(concurrentWrites: Int) {
        precondition(concurrentWrites > 0)
        writers = Mutex(Writers(free: concurrentWrites))
    }

    func advance(webhookID: String, to due: Int64, write: (Int64) async -> Void) async {
        // True for the caller who writes; the others are resumed (false) once their time is written.
        let leads = await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            let leads = writing.withLock { state -> Bool in
                guard var webhook = state[webhookID] else {
                    state[webhookID] = Webhook()
                    return true
                }
                webhook.nextDue = min(webhook.nextDue ?? due, due)
                webhook.nextWaiters.append(continuation)
                state[webhookID] = webhook
                return false
            }
            if leads { continuation.resume(returning: true) }
        }
        guard leads else { return }
        await writeInTurn(due, write)
        while true {
            let next = writing.withLock { state -> (Int64, [CheckedContinuation<Bool, Never>])? in
                guard let webhook = state[webhookID], let due = webhook.nextDue else {
                    state[webhookID] = nil
                    return nil
                }
                state[webhookID] = Webhook()
                return (due, webhook.nextWaiters)
            }
            guard let (due, waiters) = next else { return }
            await writeInTurn(due, write)
            for waiter in waiters { waiter.resume(returning: false) }
        }
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
