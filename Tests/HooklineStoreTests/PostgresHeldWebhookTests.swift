import HooklineCore
import Testing

@testable import HooklineStore

/// What ingests, records and leases do while another transaction holds a webhook's row (a record
/// or a lease of another process): an ingest skips that webhook and never waits for it, its
/// delivery waits for whoever takes the row next, and a call's deliveries still go in order at
/// every webhook.
@Suite struct PostgresHeldWebhookTests {
    typealias F = Fixtures

    /// Another transaction that holds webhook rows until `letGo()`.
    struct RowHolder {
        let task: Task<Void, any Error>
        let release: AsyncStream<Void>.Continuation

        static func holding(_ webhookID: String, in store: PostgresStore) async -> RowHolder {
            let (locked, lockedNow) = AsyncStream.makeStream(of: Void.self)
            let (released, release) = AsyncStream.makeStream(of: Void.self)
            let task = Task { [logger = store.logger] in
                defer { lockedNow.finish() }
                try await store.transaction { connection in
                    _ = try await connection.rows("SELECT id FROM webhooks WHERE id = \(webhookID) FOR NO KEY UPDATE", logger: logger)
                    lockedNow.yield()
                    for await _ in released { break }
                }
            }
            for await _ in locked { break }
            return RowHolder(task: task, release: release)
        }

        /// Ends the transaction; also what a test's every way out calls, so nothing waits forever.
        func letGo() async throws {
            release.finish()
            try await task.value
        }
    }

    static func request(_ account: Account, _ command: IngestCommand, offer: (any LeaseOffer)?) -> IngestRequest {
        IngestRequest(accountID: account.id, command: command, idempotencyKey: nil, now: F.t0, leaseOffer: offer)
    }

    static func offer() -> TestOffer { TestOffer(slots: 10, owner: "w", leaseUntil: F.t0.adding(seconds: 600)) }

    /// Waits until the account has `count` pending deliveries: an ingest that committed them is
    /// then waiting, after its commit, to move the held webhook's due time.
    static func untilPending(_ count: Int, in store: PostgresStore, account: Account) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        while try await store.deliveries(accountID: account.id, filter: DeliveryFilter(status: .pending), page: PageRequest(limit: 50)).items.count < count,
            ContinuousClock.now < deadline
        {
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    /// Records each job as delivered at `at`; answers what the record leased with `offer`.
    static func delivered(_ jobs: [DeliveryJob], at: Timestamp, in store: PostgresStore, leasing offer: TestOffer?) async throws -> [DeliveryJob] {
        try await store.recordAttempts(
            jobs.map { job in
                AttemptResult(
                    deliveryID: job.delivery.id, attempt: F.attempt(job.delivery.attemptCount + 1, success: true, at: at), verdict: .delivered,
                    renderedPayload: nil, leaseOwner: "w", now: at)
            }, leasing: offer)
    }

    /// An ingest locks the webhooks it may lease from together: one that another transaction
    /// holds is skipped, and its delivery waits for a worker's lease; the others go at once.
    @Test func aFanOutLeasesAtOnceFromEveryWebhookButOneAnotherTransactionHolds() async throws {
        let store = try #require(try await StoreEngine.postgres.makeStore() as? PostgresStore)
        let account = try await F.account(store)
        var webhooks: [Webhook] = []
        for _ in 0..<4 { webhooks.append(try await F.webhook(store, account: account, triggers: [.callBegin])) }
        let held = webhooks[2]
        let holder = await RowHolder.holding(held.id, in: store)
        defer { holder.release.finish() }
        let offer = Self.offer()
        let ingest = Task { await store.ingest(batch: [Self.request(account, .beginCall(callID: "x", values: ["callid": "x"]), offer: offer)]) }
        // Committed, the ingest moves the held webhook's due time, waiting for its row.
        try await Self.untilPending(4, in: store, account: account)
        try await holder.letGo()
        let result = try #require(await ingest.value.first).get()
        #expect(result.receipt.deliveryIDs.count == 4)
        #expect(Set(result.leased.map(\.webhook.id)) == Set(webhooks.map(\.id)).subtracting([held.id]) && offer.claimed == 3)
        // Had that wait run out, a heartbeat's sweep would move it.
        try await store.sweepLateDueTimes(now: F.t0)
        let rest = try await store.leaseDueDeliveries(limit: 10, now: F.t0, leaseUntil: F.t0.adding(seconds: 60), owner: "w")
        #expect(rest.map(\.webhook.id) == [held.id])
    }

    /// One call's whole life at two webhooks, begun and ended while another transaction holds
    /// the second's row: the first sends at once; the beginning's ingest waits for the row to
    /// move the second's due time, and the end's ingest does not wait for it (a store of four
    /// connections has one ingest lane); the second's beginning goes by a worker's lease, its end behind it; a later
    /// update waits behind both ends, which one record releases at both webhooks; and a replay of
    /// the held webhook's end sends it again, with its values.
    @Test func aCallLivesItsWholeLifeAtTwoWebhooksOneOfThemHeld() async throws {
        let store = try #require(try await StoreEngine.postgres.makeStore() as? PostgresStore)
        let account = try await F.account(store)
        let triggers: [EventKind] = [.callBegin, .callEnd, .callUpdated]
        let (free, held) = (try await F.webhook(store, account: account, triggers: triggers), try await F.webhook(store, account: account, triggers: triggers))
        var sent: [(webhook: String, kind: EventKind)] = []
        func sending(_ jobs: [DeliveryJob]) -> [DeliveryJob] {
            sent += jobs.map { ($0.webhook.id, $0.delivery.eventKind) }
            return jobs
        }

        let holder = await RowHolder.holding(held.id, in: store)
        defer { holder.release.finish() }
        let beginning = Task {
            try await store.ingest(Self.request(account, .beginCall(callID: "a", values: ["callid": "a", "ani": "79990001122"]), offer: Self.offer()))
        }
        try await Self.untilPending(2, in: store, account: account)
        // The beginning waits to move the held webhook's due time; the end goes on meanwhile.
        let ended = try await store.ingest(Self.request(account, .endCall(callID: "a", values: ["dialstatus": "ANSWER"]), offer: Self.offer()))
        #expect(ended.receipt.deliveryIDs.count == 2)
        try await holder.letGo()
        let begun = try await beginning.value
        #expect(sending(begun.leased).map(\.webhook.id) == [free.id], "the held webhook was skipped")
        #expect(ended.leased.isEmpty, "an end goes behind its call's beginning")

        // The free webhook's beginning answered: its record leases the end there.
        let t1 = F.t0.adding(seconds: 1)
        let freeEnd = sending(try await Self.delivered(begun.leased, at: t1, in: store, leasing: Self.offer()))
        #expect(freeEnd.map(\.webhook.id) == [free.id] && freeEnd.map(\.delivery.eventKind) == [.callEnd])
        // The held webhook's beginning goes by a worker's lease, its end still behind it.
        let heldBeginning = sending(try await store.leaseDueDeliveries(limit: 10, now: t1, leaseUntil: t1.adding(seconds: 600), owner: "w"))
        #expect(heldBeginning.map(\.webhook.id) == [held.id] && heldBeginning.map(\.delivery.eventKind) == [.callBegin])
        let heldEnd = sending(try await Self.delivered(heldBeginning, at: t1, in: store, leasing: Self.offer()))
        #expect(heldEnd.map(\.webhook.id) == [held.id] && heldEnd.map(\.delivery.eventKind) == [.callEnd])

        // A later update waits behind both ends; one record of both releases it at both webhooks.
        let update = try await store.ingest(Self.request(account, .updateCall(callID: "a", values: ["rec_audiourl": "https://rec/a.mp3"]), offer: Self.offer()))
        #expect(update.receipt.deliveryIDs.count == 2 && update.leased.isEmpty)
        let t2 = F.t0.adding(seconds: 2)
        let updates = sending(try await Self.delivered(freeEnd + heldEnd, at: t2, in: store, leasing: Self.offer()))
        #expect(Set(updates.map(\.webhook.id)) == [free.id, held.id] && updates.allSatisfy { $0.delivery.eventKind == .callUpdated })
        #expect(updates.allSatisfy { $0.values["rec_audiourl"] == "https://rec/a.mp3" && $0.values["dialstatus"] == "ANSWER" })
        _ = try await Self.delivered(updates, at: t2, in: store, leasing: nil)
        for webhook in [free, held] {
            #expect(sent.filter { $0.webhook == webhook.id }.map(\.kind) == triggers, "\(webhook.id == free.id ? "free" : "held")")
        }
        #expect(try await store.statistics(now: t2).pending == 0)

        // The held webhook's end, replayed, is sent again with the end's values.
        let end = try #require(heldEnd.first)
        let t3 = F.t0.adding(seconds: 3)
        #expect(try await store.replayDelivery(id: end.delivery.id, accountID: account.id, now: t3)?.status == .pending)
        let again = try await store.leaseDueDeliveries(limit: 10, now: t3, leaseUntil: t3.adding(seconds: 600), owner: "w")
        #expect(again.map(\.delivery.id) == [end.delivery.id] && again.first?.values["dialstatus"] == "ANSWER")
        _ = try await Self.delivered(again, at: t3, in: store, leasing: nil)
        #expect(try await store.attempts(deliveryID: end.delivery.id).count == 2)
        #expect(try await store.statistics(now: t3).pending == 0)
    }
}
