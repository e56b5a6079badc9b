import Synchronization

/// Ingests that arrive together share a transaction. A process runs at most `lanes` ingest
/// transactions at once; an ingest that finds every lane busy waits, and the lane that comes free
/// next takes it and up to `largestBatch` of the waiting ones into one transaction, led by the
/// first of them. A lone ingest (a quiet hour) finds a lane free and runs at once, alone. One that
/// waited longer than `longestWait` for a lane is not run: it is answered `tooLong`, as a request
/// that waits too long for a connection of the pool is, also while every lane is still busy.
///
/// On PostgreSQL each statement is a round trip that costs the client and the server about as
/// much CPU as an ingest's own inserts, and in a burst `BEGIN` and `COMMIT` were two of an event's
/// four and a half: a batch shares them.
final class IngestLanes<Work: Sendable, Outcome: Sendable>: Sendable {
    private enum Turn: Sendable {
        /// This caller leads the next batch on a lane it holds.
        case lead
        /// Another caller's batch ran this one's work.
        case done(Outcome)
    }

    private struct Waiting: Sendable {
        let work: Work
        let turn: CheckedContinuation<Turn, Never>
        let since: ContinuousClock.Instant
    }

    private struct State: Sendable {
        var freeLanes: Int
        var queue: [Waiting] = []
        /// Whether `answerLongWaits` runs: while anyone waits.
        var watching = false
    }

    let largestBatch: Int
    private let longestWait: Duration
    private let tooLong: @Sendable () -> Outcome
    private let state: Mutex<State>

    init(lanes: Int, largestBatch: Int, longestWait: Duration, tooLong: @escaping @Sendable () -> Outcome) {
        precondition(lanes > 0 && largestBatch > 0)
        self.largestBatch = largestBatch
        self.longestWait = longestWait
        self.tooLong = tooLong
        state = Mutex(State(freeLanes: lanes))
    }

    /// Works waiting for a lane.
    var waiting: Int { state.withLock { $0.queue.count } }

    /// `work`'s outcome, from a batch this caller leads or another's. `run` takes a batch's
    /// works, the leader's first and the others in their order of arrival, and answers one
    /// outcome for each, in the same order.
    func submit(_ work: Work, run: ([Work]) async -> [Outcome]) async -> Outcome {
        // A free lane is taken without suspending: a quiet hour's ingests pay no hand-off.
        let free = state.withLock { state -> Bool in
            guard state.freeLanes > 0 else { return false }
            state.freeLanes -= 1
            return true
        }
        let turn = free ? .lead : await withCheckedContinuation { (continuation: CheckedContinuation<Turn, Never>) in
            let (leads, watches) = state.withLock { state -> (Bool, Bool) in
                guard state.freeLanes == 0 else {
                    state.freeLanes -= 1
                    return (true, false)
                }
                state.queue.append(Waiting(work: work, turn: continuation, since: .now))
                defer { state.watching = true }
                return (false, !state.watching)
            }
            if leads { continuation.resume(returning: .lead) }
            // Unstructured, and short-lived: it ends when no one waits, and holds nothing but the
            // lanes; no caller's cancellation should end it while others wait.
            if watches { Task { await self.answerLongWaits() } }
        }
        if case .done(let outcome) = turn { return outcome }
        let (others, expired) = state.withLock { state -> ([Waiting], [Waiting]) in
            let expired = expire(&state)
            let taken = Array(state.queue.prefix(largestBatch - 1))
            state.queue.removeFirst(taken.count)
            return (taken, expired)
        }
        for waiting in expired { waiting.turn.resume(returning: .done(tooLong())) }
        let outcomes = await run([work] + others.map(\.work))
        precondition(outcomes.count == others.count + 1, "a batch answers one outcome per work")
        passLane()
        for (waiting, outcome) in zip(others, outcomes.dropFirst()) { waiting.turn.resume(returning: .done(outcome)) }
        return outcomes[0]
    }

    /// The lane goes to the first waiting caller, who leads the next batch; with none, it is free.
    private func passLane() {
        let (next, expired) = state.withLock { state -> (Waiting?, [Waiting]) in
            let expired = expire(&state)
            guard !state.queue.isEmpty else {
                state.freeLanes += 1
                return (nil, expired)
            }
            return (state.queue.removeFirst(), expired)
        }
        for waiting in expired { waiting.turn.resume(returning: .done(tooLong())) }
        next?.turn.resume(returning: .lead)
    }

    /// While callers wait, answers each `tooLong` once it has waited `longestWait`, even while
    /// every lane stays busy for longer (a batch waiting on a lock): otherwise the lane's hand-off
    /// alone checked, and a request heard its 503 only when some batch ended.
    private func answerLongWaits() async {
        while true {
            let (expired, oldest) = state.withLock { state -> ([Waiting], ContinuousClock.Instant?) in
                let expired = expire(&state)
                guard let first = state.queue.first else {
                    state.watching = false
                    return (expired, nil)
                }
                return (expired, first.since)
            }
            for waiting in expired { waiting.turn.resume(returning: .done(tooLong())) }
            guard let oldest else { return }
            try? await Task.sleep(until: oldest + longestWait + .milliseconds(1), clock: .continuous)
        }
    }

    /// Takes out the callers that waited too long, the first in the queue, to be answered outside
    /// the lock.
    private func expire(_ state: inout State) -> [Waiting] {
        let now = ContinuousClock.now
        let count = state.queue.prefix { now - $0.since > longestWait }.count
        defer { state.queue.removeFirst(count) }
        return Array(state.queue.prefix(count))
    }
}
