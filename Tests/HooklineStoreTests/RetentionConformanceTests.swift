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
        let first = try await store.purge(PurgePlan(cutoff: cutoff, limit: retention.batchSize))
        #expect(first.deliveries == 2)
        var total = first
        while true {
            let next = try await store.purge(PurgePlan(cutoff: cutoff, limit: retention.batchSize))
            total = total + next
            if next == Purged() { break }
        }
        #expect(total.deliveries == 3 && total.events == 4)
        // The calls whose deliveries went, and the lead no webhook wanted; the calls with a pending
        // or recent delivery stay.
        #expect(total.subjects == 4)

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
        for call in ["delivered", "dead", "second"] { #expect(try await store.call(id: call, accountID: account.id) == nil, "\(call)") }
        for call in ["pending", "recent"] { #expect(try await store.call(id: call, accountID: account.id) != nil, "\(call)") }
        #expect(try await store.lead(id: lead.subjectID, accountID: account.id) == nil)
        // What was kept can still be replayed, rendered from its event.
        let kept = try #require(receipts["recent"]?.deliveryIDs.first)
        _ = try await store.replayDelivery(id: kept, accountID: account.id, now: recently)
        #expect(try await store.leaseDueDeliveries(limit: 10, now: recently, leaseUntil: recently.adding(seconds: 60), owner: "w").count == 1)
    }

    /// Personal data goes too once nothing pending needs it: calls (numbers, names), leads (emails),
    /// what receivers answered about them and idempotency keys; a call with a pending delivery, a
    /// call that ended lately and a lead with a recent message stay, whatever their age.
    @Test(arguments: StoreEngine.allCases)
    func callsLeadsCapturesAndKeysGoOnceNothingPendingNeedsThem(engine: StoreEngine) async throws {
        let store = try await engine.makeStore()
        let account = try await F.account(store)
        _ = try await F.webhook(store, account: account, triggers: [.callBegin])
        func ingest(_ command: IngestCommand, key: String? = nil, at time: Timestamp = F.t0) async throws {
            _ = try await store.ingest(
                IngestRequest(accountID: account.id, command: command, idempotencyKey: key.map { IdempotencyKey(key: $0, fingerprint: "f") }, now: time))
        }
        let day = 86_400.0
        try await ingest(.beginCall(callID: "old", values: ["callid": "old", "ani": "+1 555 0100"]), key: "k-old")
        try await ingest(.beginCall(callID: "ends-late", values: ["callid": "ends-late"]))
        try await ingest(.beginCall(callID: "waits", values: ["callid": "waits"]))
        try await ingest(.createLead(leadID: "L-old", values: ["lead_id": "L-old", "lead_email": "a@example.com"]), key: "k-lead")
        try await ingest(.createLead(leadID: "L-talks", values: ["lead_id": "L-talks"]))
        let jobs = Dictionary(
            uniqueKeysWithValues: try await store.leaseDueDeliveries(limit: 10, now: F.t0, leaseUntil: F.t0.adding(seconds: 60), owner: "w").map {
                ($0.delivery.subjectID, $0)
            })
        // "old" was answered with an order id; "waits" stays pending (leased, never answered).
        try await store.recordAttempts([
            AttemptResult(
                deliveryID: try #require(jobs["old"]).delivery.id, attempt: F.attempt(1, success: true, at: F.t0), verdict: .delivered, renderedPayload: nil,
                captured: ["order_id": "77"], now: F.t0)
        ])
        try await Self.record(store, try #require(jobs["ends-late"]), .delivered, at: F.t0)
        #expect(try await store.call(id: "old", accountID: account.id)?.captured == ["order_id": "77"])
        try await ingest(.endCall(callID: "ends-late", values: [:]), at: F.t0.adding(seconds: 40 * day))
        try await ingest(.addMessage(leadID: "L-talks", messageID: "m1", values: ["message_text": "still here"]), at: F.t0.adding(seconds: 40 * day))

        let cutoff = F.t0.adding(seconds: 30 * day)
        var total = Purged()
        while true {
            let next = try await store.purge(PurgePlan(cutoff: cutoff, limit: 1))
            total = total + next
            if next == Purged() { break }
        }
        #expect(try await store.call(id: "old", accountID: account.id) == nil)
        #expect(try await store.lead(id: "L-old", accountID: account.id) == nil)
        #expect(try await store.call(id: "ends-late", accountID: account.id) != nil, "it ended after the cutoff")
        #expect(try await store.call(id: "waits", accountID: account.id) != nil, "a pending delivery needs it")
        #expect(try await store.lead(id: "L-talks", accountID: account.id) != nil, "a message came after the cutoff")
        #expect(total.subjects == 2 && total.keys == 2, "\(total)")
        // The key went with it: the same key makes a new call, which begins with nothing captured.
        try await ingest(.beginCall(callID: "old", values: ["callid": "old"]), key: "k-old", at: cutoff)
        #expect(try await store.call(id: "old", accountID: account.id)?.captured == [:], "what receivers answered went with the call")
    }
}
