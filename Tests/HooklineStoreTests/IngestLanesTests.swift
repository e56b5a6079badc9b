import Synchronization
import Testing

@testable import HooklineStore

@Suite struct IngestLanesTests {
    /// What ran: each batch's works, and how many batches ran at most at once.
    final class Runs: Sendable {
        private struct State {
            var batches: [[Int]] = []
            var running = 0
            var mostAtOnce = 0
        }

        private let state = Mutex(State())

        func start(_ batch: [Int]) {
            state.withLock {
                $0.batches.append(batch)
                $0.running += 1
                $0.mostAtOnce = max($0.mostAtOnce, $0.running)
            }
        }

        func end() { state.withLock { $0.running -= 1 } }
        var batches: [[Int]] { state.withLock { $0.batches } }
        var mostAtOnce: Int { state.withLock { $0.mostAtOnce } }
    }

    /// A gate the first batch waits at until the test opens it.
    final class Gate: Sendable {
        private let opened = Atomic<Bool>(false)
        func open() { opened.store(true, ordering: .relaxed) }
        func wait() async {
            while !opened.load(ordering: .relaxed), !Task.isCancelled { try? await Task.sleep(for: .milliseconds(1)) }
        }
    }

    /// A batch's run: each work's outcome is ten times it; the batch with work 0 waits at the gate.
    static func waitingAtTheGate(_ runs: Runs, _ gate: Gate) -> @Sendable ([Int]) async -> [Int] {
        { batch in
            runs.start(batch)
            if batch.contains(0) { await gate.wait() }
            runs.end()
            return batch.map { $0 * 10 }
        }
    }

    /// Submits the first of `works`, which leads at once, then the others one at a time, each once
    /// the one before waits, so that they queue in this order.
    static func queue(
        _ works: ClosedRange<Int>, on lanes: IngestLanes<Int, Int>, run: @escaping @Sendable ([Int]) async -> [Int], runs: Runs,
        in group: inout TaskGroup<(Int, Int)>
    ) async {
        let first = works.lowerBound
        group.addTask { (first, await lanes.submit(first, run: run)) }
        while runs.batches.isEmpty, !Task.isCancelled { try? await Task.sleep(for: .milliseconds(1)) }
        for (index, work) in works.dropFirst().enumerated() {
            group.addTask { (work, await lanes.submit(work, run: run)) }
            while lanes.waiting <= index, !Task.isCancelled { try? await Task.sleep(for: .milliseconds(1)) }
        }
    }

    @Test func aLoneWorkRunsAtOnceAlone() async {
        let lanes = IngestLanes<Int, Int>(lanes: 2, largestBatch: 8, longestWait: .seconds(600)) { -1 }
        let runs = Runs()
        let outcome = await lanes.submit(7) { batch in
            runs.start(batch)
            defer { runs.end() }
            return batch.map { $0 * 10 }
        }
        #expect(outcome == 70 && runs.batches == [[7]])
    }

    /// Works that arrive while every lane is busy share the next batches, in their order of
    /// arrival and at most `largestBatch` at a time; no more batches run at once than lanes; each
    /// caller hears its own outcome.
    @Test(.timeLimit(.minutes(1))) func worksArrivingWhileEveryLaneIsBusyShareTheNextBatches() async throws {
        let lanes = IngestLanes<Int, Int>(lanes: 1, largestBatch: 4, longestWait: .seconds(600)) { -1 }
        let (runs, gate) = (Runs(), Gate())
        let run = Self.waitingAtTheGate(runs, gate)
        let outcomes = await withTaskGroup(of: (Int, Int).self) { group in
            await Self.queue(0...9, on: lanes, run: run, runs: runs, in: &group)
            gate.open()
            return await group.reduce(into: [Int: Int]()) { $0[$1.0] = $1.1 }
        }
        #expect(outcomes == Dictionary(uniqueKeysWithValues: (0...9).map { ($0, $0 * 10) }))
        #expect(runs.batches == [[0], [1, 2, 3, 4], [5, 6, 7, 8], [9]])
        #expect(runs.mostAtOnce == 1 && lanes.waiting == 0)

        // The lane is free again: the next work leads at once.
        #expect(await lanes.submit(42, run: run) == 420)
    }

    @Test func noMoreBatchesRunAtOnceThanLanes() async {
        let lanes = IngestLanes<Int, Int>(lanes: 3, largestBatch: 5, longestWait: .seconds(600)) { -1 }
        let runs = Runs()
        let outcomes = await withTaskGroup(of: Int.self) { group in
            for work in 0..<200 {
                group.addTask {
                    await lanes.submit(work) { batch in
                        runs.start(batch)
                        try? await Task.sleep(for: .milliseconds(2))
                        runs.end()
                        return batch.map { -$0 }
                    }
                }
            }
            return await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(outcomes.sorted() == (0..<200).map { -$0 }.sorted())
        #expect(runs.mostAtOnce <= 3)
        #expect(runs.batches.allSatisfy { $0.count <= 5 })
        #expect(runs.batches.flatMap { $0 }.sorted() == Array(0..<200))
    }

    /// Works that wait longer than `longestWait` for a lane are answered `tooLong` and not run,
    /// also while every lane is still busy; a work that comes once the lane is free runs. No step
    /// waits for a work to be seen waiting: on a loaded machine it may have been answered already.
    @Test(.timeLimit(.minutes(1))) func worksThatWaitTooLongAreAnsweredWithoutRunningWhileEveryLaneIsBusy() async {
        let lanes = IngestLanes<Int, Int>(lanes: 1, largestBatch: 8, longestWait: .seconds(1)) { -1 }
        let (runs, gate) = (Runs(), Gate())
        let run = Self.waitingAtTheGate(runs, gate)
        let outcomes = await withTaskGroup(of: (Int, Int).self) { group in
            group.addTask { (0, await lanes.submit(0, run: run)) }
            while runs.batches.isEmpty, !Task.isCancelled { try? await Task.sleep(for: .milliseconds(1)) }
            // The gate stays closed: the first batch holds the only lane. Work -9 ends the wait
            // for the others' answers if they never come.
            for work in 1...3 { group.addTask { (work, await lanes.submit(work, run: run)) } }
            let answered = Atomic<Bool>(false)
            group.addTask {
                let deadline = ContinuousClock.now + .seconds(30)
                while !answered.load(ordering: .relaxed), ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(10)) }
                return (-9, 0)
            }
            var outcomes: [Int: Int] = [:]
            while outcomes.count < 3, let (work, outcome) = await group.next(), work != -9 { outcomes[work] = outcome }
            answered.store(true, ordering: .relaxed)
            #expect(outcomes == [1: -1, 2: -1, 3: -1] && lanes.waiting == 0 && runs.batches == [[0]])
            gate.open()
            while outcomes[0] == nil, let (work, outcome) = await group.next() { outcomes[work] = outcome }
            outcomes[4] = await lanes.submit(4, run: run)
            return await group.reduce(into: outcomes) { $0[$1.0] = $1.1 }
        }
        #expect(outcomes.filter { $0.key != -9 } == [0: 0, 1: -1, 2: -1, 3: -1, 4: 40])
        #expect(runs.batches == [[0], [4]])
    }
}
