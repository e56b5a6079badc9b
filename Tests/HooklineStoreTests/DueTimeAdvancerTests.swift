import Synchronization
import Testing

@testable import HooklineStore

@Suite struct DueTimeAdvancerTests {
    /// What the writes did: the times written in turn, and whether two ever overlapped.
    final class Writes: Sendable {
        let state = Mutex<(times: [Int64], running: Int, overlapped: Bool)>(([], 0, false))
        /// Each caller's time, with the times written when it returned.
        let returned = Mutex<[(due: Int64, written: [Int64])]>([])
        /// The most writes that ran at once.
        let most = Mutex(0)

        /// A write that waits until `count` write at once (or five seconds pass), so that one
        /// more would show.
        func write(_ time: Int64, once count: Int) async {
            let running = state.withLock { state -> Int in
                state.running += 1
                state.overlapped = state.overlapped || state.running > 1
                return state.running
            }
            most.withLock { $0 = max($0, running) }
            for _ in 0..<500 where most.withLock({ $0 < count }) {
                try? await Task.sleep(for: .milliseconds(10))
            }
            try? await Task.sleep(for: .milliseconds(5))
            state.withLock {
                $0.times.append(time)
                $0.running -= 1
            }
        }
    }

    /// Advances `count` webhooks at once, each to `due(its number)`, through an advancer that runs
    /// at most `limit` writes at once; each write waits until `min(count, limit)` run together.
    static func advanceEach(of count: Int, limit: Int, due: @escaping @Sendable (Int) -> Int64) async -> Writes {
        let advancer = DueTimeAdvancer(concurrentWrites: limit)
        let writes = Writes()
        await withTaskGroup(of: Void.self) { group in
            for webhook in 0..<count {
                group.addTask {
                    await advancer.advance(webhookID: "wh_\(webhook)", to: due(webhook)) { time in await writes.write(time, once: min(count, limit)) }
                }
            }
        }
        return writes
    }

    @Test func concurrentAdvancesOfOneWebhookShareWritesAndEachReturnsAfterItsTimeIsWritten() async throws {
        let advancer = DueTimeAdvancer(concurrentWrites: 8)
        let writes = Writes()
        await withTaskGroup(of: Void.self) { group in
            for due in Int64(1)...40 {
                group.addTask {
                    await advancer.advance(webhookID: "wh_1", to: 1000 - due) { time in
                        writes.state.withLock {
                            $0.running += 1
                            $0.overlapped = $0.overlapped || $0.running > 1
                        }
                        // A write that waits for a lock, while the others pile up behind it.
                        try? await Task.sleep(for: .milliseconds(20))
                        writes.state.withLock {
                            $0.times.append(time)
                            $0.running -= 1
                        }
                    }
                    let written = writes.state.withLock { $0.times }
                    writes.returned.withLock { $0.append((1000 - due, written)) }
                }
            }
        }
        let (times, _, overlapped) = writes.state.withLock { $0 }
        #expect(!overlapped, "one write at a time per webhook")
        #expect(times.count < 40, "waiting callers share a write: \(times.count) writes")
        for (due, written) in writes.returned.withLock({ $0 }) {
            #expect(written.contains { $0 <= due }, "returned before a time no later than \(due) was written")
        }
    }

    @Test func differentWebhooksDoNotWaitForEachOther() async throws {
        let writes = await Self.advanceEach(of: 4, limit: 8) { _ in 5 }
        #expect(writes.state.withLock { $0.overlapped })
        #expect(writes.state.withLock { $0.times.count } == 4)
    }

    /// Each write holds a pool connection while it waits for a row: however many webhooks wait,
    /// no more than `concurrentWrites` writes run at once, and every caller's time is written.
    @Test func writesOfManyWebhooksRunAtMostTheirLimitAtOnce() async throws {
        let writes = await Self.advanceEach(of: 24, limit: 3) { Int64($0) }
        #expect(writes.most.withLock { $0 } == 3, "writes at once")
        #expect(writes.state.withLock { $0.times.sorted() } == Array(0..<24))
    }

    /// Callers whose times are no earlier than the write under way are answered by that write,
    /// without another (one with an earlier time waits for the next: the first test).
    @Test func laterTimesAreAnsweredByTheWriteUnderWay() async throws {
        let advancer = DueTimeAdvancer(concurrentWrites: 4)
        let writes = Writes()
        let (gate, open) = AsyncStream.makeStream(of: Void.self)
        defer { open.finish() }
        let write: @Sendable (Int64) async -> Void = { time in
            writes.state.withLock { $0.times.append(time) }
            if time == 100 { for await _ in gate { break } }
        }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await advancer.advance(webhookID: "wh_1", to: 100, write: write) }
            // Generous deadlines: a test that fails ends instead of waiting for ever.
            let deadline = ContinuousClock.now + .seconds(60)
            while writes.state.withLock({ $0.times.isEmpty }), ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(1)) }
            for due in [150, 100, 200] as [Int64] {
                group.addTask {
                    await advancer.advance(webhookID: "wh_1", to: due, write: write)
                    let written = writes.state.withLock { $0.times }
                    writes.returned.withLock { $0.append((due, written)) }
                }
            }
            while advancer.waiters(of: "wh_1") < 3, ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(1)) }
            open.finish()
        }
        #expect(writes.state.withLock { $0.times } == [100])
        for (due, written) in writes.returned.withLock({ $0 }) {
            #expect(written.contains { $0 <= due }, "returned before a time no later than \(due) was written")
        }
    }
}
