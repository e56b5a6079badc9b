import Foundation
import HooklineCore
import HooklineStore
import Testing

private typealias F = Fixtures

/// What a purge takes and what it leaves, on every engine.
@Suite struct RetentionConformanceTests {
    static func record(_ store: any Store, _ job: DeliveryJob, _ verdict: DeliveryJudge.Verdict, at time: Timestamp) async throws {
        try await store.recordAttempts([
            AttemptResult(deliveryID: job.delivery.id, attempt: F.attempt(1, success: verdict == .delivered, at: time), verdict: verdict, renderedPayload: nil, now: time)
        ])
    }

    @Test(arguments: StoreEngine.allCases)
    func finishedDeliveriesPastTheAgeGoInBatchesWithTheirAttemptsAndEventsAndNothingElse(engine: StoreEngine) async throws {
        let store = try await engine.makeStore()
        let account = try await F.account(store)
        _ = try await F.webhook(store, account: account, triggers: [.callBegin])
        var receipts: [String: IngestReceipt] = [:]
        for call in ["delivered", "dead", "pending", "recent", "second"] { receipts[call] = try await F.begin(store, account: account, call: call) }
        // An event no webhook wanted.
        let lead = try await store.ingest(
            IngestRequest(accountID: account.id, command: .createLead(leadID: "L1", values: ["lead_id": "L1"]), idempotencyKey: nil, now: F.t0)).receipt
        let jobs = Dictionary(
            uniqueKeysWithValues: try await store.leaseDueDeliveries(limit: 10, now: F.t0, leaseUntil: F.t0.adding(seconds: 60), owner: "w").map { ($0.delivery.subjectID, $0) })
        try await Self.record(store, try #require(jobs["delivered"]), .delivered, at: F.t0)
        try await Self.record(store, try #require(jobs["second"]), .delivered, at: F.t0)
        try await Self.record(store, try #require(jobs["dead"]), .dead, at: F.t0)
        try await Self.record(store, try #require(jobs["pending"]), .retry(at: F.t0.adding(seconds: 86_400 * 60)), at: F.t0)
        let recently = F.t0.adding(seconds: 86_400 * 40)
        try await Self.record(store, try #require(jobs["recent"]), .delivered, at: recently)

        let retention = Retention(days: 30, batchSize: 2)
        let cutoff = try #require(retention.cutoff(now: F.t0.adding(seconds: 86_400 * 45)))
        // Batches of two: the first is full, the next takes the rest.
        let first = try await store.purge(finishedBefore: cutoff, limit: retention.batchSize)
        #expect(first.deliveries == 2)
        let second = try await store.purge(finishedBefore: cutoff, limit: retention.batchSize)
        #expect(second.deliveries == 1)
        #expect(first.events + second.events == 4)
        #expect(try await store.purge(finishedBefore: cutoff, limit: retention.batchSize) == Purged(deliveries: 0, events: 0))

        for call in ["delivered", "dead", "second"] {
            let id = try #require(receipts[call]?.deliveryIDs.first)
            #expect(try await store.delivery(id: id, accountID: account.id) == nil, "\(call)")
            #expect(try await store.attempts(deliveryID: id).isEmpty, "\(call)")
        }
        for call in ["pending", "recent"] {
            let id = try #require(receipts[call]?.deliveryIDs.first)
            #expect(try await store.delivery(id: id, accountID: account.id) != nil, "\(call)")
            #expect(try await store.attempts(deliveryID: id).count == 1, "\(call)")
        }
        // The calls themselves stay; so does the lead, whose event had no delivery.
        #expect(try await store.call(id: "delivered", accountID: account.id) != nil)
        #expect(try await store.lead(id: lead.subjectID, accountID: account.id) != nil)
        // What was kept can still be replayed, rendered from its event.
        let kept = try #require(receipts["recent"]?.deliveryIDs.first)
        _ = try await store.replayDelivery(id: kept, accountID: account.id, now: recently)
        #expect(try await store.leaseDueDeliveries(limit: 10, now: recently, leaseUntil: recently.adding(seconds: 60), owner: "w").count == 1)
    }
}
