import Foundation
import HooklineCore
import HooklineStore
import Synchronization
import Testing

private typealias F = Fixtures

/// Workers of other processes hear of work that became due without waiting for their next poll.
@Suite struct NotificationConformanceTests {
    /// Counts the wake-ups a watching store delivers.
    final class Heard: Sendable {
        let count = Atomic<Int>(0)

        /// Waits until more than `seen` wake-ups arrived; false after 30 s.
        func more(than seen: Int) async throws -> Bool {
            let deadline = ContinuousClock.now + .seconds(30)
            while ContinuousClock.now < deadline {
                if count.load(ordering: .relaxed) > seen { return true }
                try await Task.sleep(for: .milliseconds(20))
            }
            return false
        }
    }

    @Test func onPostgresWhatAnotherProcessMakesDueWakesTheWatchers() async throws {
        let (api, worker) = try await StoreEngine.postgres.makeTwoStores()
        let heard = Heard()
        let watch = Task { await worker.watchDueDeliveries { heard.count.add(1, ordering: .relaxed) } }
        defer { watch.cancel() }
        // The watch says once that it listens: whatever became due before is for the worker to find.
        #expect(try await heard.more(than: 0))
        let account = try await F.account(api)
        _ = try await F.webhook(api, account: account)

        // An event accepted by a process without workers.
        var seen = heard.count.load(ordering: .relaxed)
        _ = try await F.begin(api, account: account, call: "a", at: .now)
        #expect(try await heard.more(than: seen), "an accepted event")

        // Leased, then given back at shutdown: due at once again.
        let now = Timestamp.now
        let jobs = try await worker.leaseDueDeliveries(limit: 10, now: now, leaseUntil: now.adding(seconds: 180), owner: "w1")
        #expect(jobs.count == 1)
        seen = heard.count.load(ordering: .relaxed)
        try await worker.releaseLeases(owner: "w1", now: .now)
        #expect(try await heard.more(than: seen), "released leases")

        // Delivered, then replayed from the API.
        let again = Timestamp.now
        let job = try #require(try await worker.leaseDueDeliveries(limit: 10, now: again, leaseUntil: again.adding(seconds: 180), owner: "w1").first)
        try await worker.recordAttempts([
            AttemptResult(deliveryID: job.delivery.id, attempt: F.attempt(1, success: true, at: again), verdict: .delivered, renderedPayload: nil, now: again)
        ])
        seen = heard.count.load(ordering: .relaxed)
        _ = try await api.replayDelivery(id: job.delivery.id, accountID: account.id, now: .now)
        #expect(try await heard.more(than: seen), "a replay")

        // Cancelling the watching task ends the watch.
        watch.cancel()
        await watch.value
    }

    @Test func onSQLiteTheWatchEndsAtOnceAndWorkersPoll() async throws {
        let store = try await StoreEngine.sqlite.makeStore()
        let heard = Heard()
        await store.watchDueDeliveries { heard.count.add(1, ordering: .relaxed) }
        #expect(heard.count.load(ordering: .relaxed) == 0)
    }
}
