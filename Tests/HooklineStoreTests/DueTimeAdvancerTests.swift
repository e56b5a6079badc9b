import Synchronization
import Testing

@testable import HooklineStore

@Suite struct DueTimeAdvancerTests {
    /// What the writes did: the times written in turn, and whether two ever overlapped.
    final class Writes: Sendable {
        let state = Mutex<(times: [Int64], running: Int, overlapped: Bool)>(([], 0, false))
        /// Each caller's time, with the times written when it returned.
        let returned = Mutex<[(due: Int64, written: [Int64])]>([])
    }

    @Test func concurrentAdvancesOfOneWebhookShareWritesAndEachReturnsAfterItsTimeIsWritten() async throws {
        let advancer = DueTimeAdvancer()
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
        let advancer = DueTimeAdvancer()
        let writes = Writes()
        await withTaskGroup(of: Void.self) { group in
            for webhook in 0..<4 {
                group.addTask {
                    await advancer.advance(webhookID: "wh_\(webhook)", to: 5) { time in
                        writes.state.withLock { $0.running += 1; $0.overlapped = $0.overlapped || $0.running > 1 }
                        // Each waits until all four are writing at once, or gives up after five seconds.
                        for _ in 0..<500 where writes.state.withLock({ $0.running < 4 }) {
                            try? await Task.sleep(for: .milliseconds(10))
                        }
                        writes.state.withLock { $0.times.append(time) }
                    }
                }
            }
        }
        #expect(writes.state.withLock { $0.overlapped })
        #expect(writes.state.withLock { $0.times.count } == 4)
    }
}
