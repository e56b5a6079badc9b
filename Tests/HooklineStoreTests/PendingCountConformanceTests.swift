import HooklineCore
import HooklineStore
import Testing

private typealias F = Fixtures

/// The pending count a metrics scrape reads is kept by the database as deliveries change; it must
/// stay exact through everything that changes a delivery, on every engine.
@Suite struct PendingCountConformanceTests {
    @Test(arguments: StoreEngine.allCases)
    func thePendingCountFollowsEveryChangeOfADelivery(engine: StoreEngine) async throws {
        let store = try await engine.makeStore()
        let account = try await F.account(store)
        let first = try await F.webhook(store, account: account, triggers: [.callBegin, .callEnd])
        let second = try await F.webhook(store, account: account, triggers: [.callBegin])
        func pending(_ what: String, _ expected: Int) async throws {
            #expect(try await store.statistics(now: F.t0).pending == expected, "\(what)")
            // Heartbeats fold what writers recorded; the count is the same before and after.
            try await store.heartbeat(owner: "w", now: F.t0)
            _ = try await store.releaseLeasesOfSilentWorkers(silentBefore: F.t0.adding(seconds: -15), now: F.t0)
            try await store.foldPendingCount()
            #expect(try await store.statistics(now: F.t0).pending == expected, "\(what), folded")
        }
        try await pending("nothing yet", 0)
        for call in ["a", "b", "c"] { _ = try await F.begin(store, account: account, call: call) }
        try await pending("three calls, two webhooks", 6)
        _ = try await F.end(store, account: account, call: "a")
        try await pending("a's end waits behind its begin", 7)
        let jobs = try await store.leaseDueDeliveries(limit: 10, now: F.t0, leaseUntil: F.t0.adding(seconds: 60), owner: "w")
        try await pending("leased deliveries are still pending", 7)
        let delivered = try #require(jobs.first { $0.delivery.webhookID == second.id })
        let dead = try #require(jobs.first { $0.delivery.webhookID == second.id && $0.delivery.id != delivered.delivery.id })
        try await store.recordAttempts([
            AttemptResult(deliveryID: delivered.delivery.id, attempt: F.attempt(1, success: true), verdict: .delivered, renderedPayload: nil, now: F.t0),
            AttemptResult(deliveryID: dead.delivery.id, attempt: F.attempt(1, success: false), verdict: .dead, renderedPayload: nil, now: F.t0),
        ])
        try await pending("one delivered, one dead", 5)
        _ = try await store.replayDelivery(id: dead.delivery.id, accountID: account.id, now: F.t0)
        try await pending("the dead one replayed", 6)
        #expect(try await store.deleteWebhook(id: first.id, accountID: account.id))
        try await pending("the first webhook's four went with it", 2)
    }
}
