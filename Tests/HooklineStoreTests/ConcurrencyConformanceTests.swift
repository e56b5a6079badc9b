import Foundation
import HooklineCore
import HooklineStore
import Synchronization
import Testing

private typealias F = Fixtures

/// What the `Store` contract promises to concurrent callers in several processes, acted out
/// through two stores on one database at once (two processes, as far as the database can tell),
/// many calls in flight on each.
@Suite struct ConcurrencyConformanceTests {
    /// Runs `count` calls at once, alternating between the two stores; answers their results.
    static func atOnce<T: Sendable>(
        _ count: Int, on stores: (any Store, any Store), _ body: @escaping @Sendable (any Store, Int) async throws -> T
    ) async throws -> [T] {
        try await withThrowingTaskGroup(of: T.self) { group in
            for index in 0..<count {
                let store = index.isMultiple(of: 2) ? stores.0 : stores.1
                group.addTask { try await body(store, index) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
    }

    static func lease(_ store: any Store, owner: String, limit: Int = 10, at time: Timestamp = F.t0) async throws -> [DeliveryJob] {
        try await store.leaseDueDeliveries(limit: limit, now: time, leaseUntil: time.adding(seconds: 60), owner: owner)
    }

    @Test(arguments: StoreEngine.allCases)
    func oneIdempotencyKeyFromManyCallersIsOneEventWithOneAnswer(engine: StoreEngine) async throws {
        let stores = try await engine.makeTwoStores()
        let account = try await F.account(stores.0)
        _ = try await F.webhook(stores.0, account: account)
        let key = IdempotencyKey(key: "k-1", fingerprint: "same")
        let receipts = try await Self.atOnce(16, on: stores) { store, _ in try await F.begin(store, account: account, call: "c1", key: key) }
        #expect(Set(receipts.map(\.eventID)).count == 1)
        #expect(Set(receipts.flatMap(\.deliveryIDs)).count == 1)
        let deliveries = try await stores.1.deliveries(accountID: account.id, filter: DeliveryFilter(), page: PageRequest(limit: 100))
        #expect(deliveries.items.count == 1)
    }

    @Test(arguments: StoreEngine.allCases)
    func aCallEndedByManyCallersAtOnceEndsOnce(engine: StoreEngine) async throws {
        let stores = try await engine.makeTwoStores()
        let account = try await F.account(stores.0)
        _ = try await F.webhook(stores.0, account: account)
        _ = try await F.begin(stores.0, account: account, call: "c1")
        let receipts = try await Self.atOnce(16, on: stores) { store, _ in try await F.end(store, account: account, call: "c1") }
        #expect(Set(receipts.map(\.eventID)).count == 1)
        let deliveries = try await stores.1.deliveries(accountID: account.id, filter: DeliveryFilter(), page: PageRequest(limit: 100))
        #expect(deliveries.items.filter { $0.eventKind == .callEnd }.count == 1)
    }

    @Test(arguments: StoreEngine.allCases)
    func workersLeasingAtOnceKeepAWebhooksLimitAndEachCallsOrder(engine: StoreEngine) async throws {
        let stores = try await engine.makeTwoStores()
        let account = try await F.account(stores.0)
        _ = try await F.webhook(stores.0, account: account, maxInFlight: 3)
        for index in 0..<10 {
            _ = try await F.begin(stores.0, account: account, call: "c\(index)")
            _ = try await F.end(stores.1, account: account, call: "c\(index)")
        }
        // Twelve workers, six a store, lease at once.
        let leased = try await Self.atOnce(12, on: stores) { store, index in try await Self.lease(store, owner: "w\(index)") }.flatMap { $0 }
        #expect(leased.count == 3)
        #expect(Set(leased.map(\.delivery.id)).count == 3)
        // Never a call's end while its begin is pending.
        #expect(leased.allSatisfy { $0.delivery.eventKind == .callBegin })
    }

    @Test(arguments: StoreEngine.allCases)
    func aFailingEndpointGetsOneProbeHoweverManyWorkersAsk(engine: StoreEngine) async throws {
        let stores = try await engine.makeTwoStores()
        let account = try await F.account(stores.0)
        var webhook = try await F.webhook(stores.0, account: account, triggers: [.callBegin], retry: RetryPolicy(schedule: [0, 3600], maximumAge: 86_400))
        webhook.settings.probeInterval = 30
        try await stores.0.updateWebhook(webhook)
        for index in 0..<20 { _ = try await F.begin(stores.0, account: account, call: "c\(index)") }
        let later = F.t0.adding(seconds: 3600)
        for job in try await Self.lease(stores.0, owner: "w", limit: 5) {
            try await stores.0.recordAttempts([
                AttemptResult(deliveryID: job.delivery.id, attempt: F.attempt(1, success: false), verdict: .retry(at: later), renderedPayload: nil, now: F.t0)
            ])
        }
        #expect(try await stores.1.webhook(id: webhook.id, accountID: account.id)?.health.state == .failing)
        let probeTime = F.t0.adding(seconds: 30)
        let probes = try await Self.atOnce(12, on: stores) { store, index in try await Self.lease(store, owner: "w\(index)", at: probeTime) }.flatMap { $0 }
        #expect(probes.count == 1)
    }

    @Test(arguments: StoreEngine.allCases)
    func capturesRecordedAtOnceFromTwoProcessesAreBothKept(engine: StoreEngine) async throws {
        let stores = try await engine.makeTwoStores()
        let account = try await F.account(stores.0)
        let first = try await F.webhook(stores.0, account: account, triggers: [.callBegin])
        _ = try await F.webhook(stores.0, account: account, triggers: [.callBegin])
        _ = try await F.begin(stores.0, account: account, call: "c1")
        let jobs = try await Self.lease(stores.0, owner: "w")
        #expect(jobs.count == 2)
        _ = try await Self.atOnce(2, on: stores) { store, index in
            let job = jobs[index]
            let captured: JSONObject = job.webhook.id == first.id ? ["order_id": "deal-1"] : ["contact_id": "contact-2"]
            try await store.recordAttempts([
                AttemptResult(
                    deliveryID: job.delivery.id, attempt: F.attempt(1, success: true), verdict: .delivered, renderedPayload: nil, captured: captured, now: F.t0)
            ])
        }
        // In whichever order the two records committed.
        let captured = try #require(try await stores.1.call(id: "c1", accountID: account.id)?.captured)
        #expect(captured == ["order_id": "deal-1", "contact_id": "contact-2"] || captured == ["contact_id": "contact-2", "order_id": "deal-1"])
    }
}
