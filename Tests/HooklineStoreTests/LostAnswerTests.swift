import Foundation
import HooklineCore
@testable import HooklineStore
import Testing

private typealias F = Fixtures

/// Writes whose answer was lost (issue 22, item 11): the same attempts recorded again are stored
/// once, a lease is released only by its holder, and a transaction the caller was told failed
/// does not commit behind its back when its backend comes back.
@Suite struct LostAnswerTests {
    static func result(
        _ job: DeliveryJob, number: Int, verdict: DeliveryJudge.Verdict, owner: String?, at time: Timestamp = F.t0, keyed: Bool = true
    ) -> AttemptResult {
        AttemptResult(
            deliveryID: job.delivery.id, attempt: F.attempt(number, success: verdict == .delivered, at: time), verdict: verdict, renderedPayload: nil,
            captured: verdict == .delivered ? ["order_id": 7] : [:], leaseOwner: owner, now: time, keys: keyed ? DeliveryKeys(job.delivery) : nil)
    }

    /// A webhook deleted while its deliveries are in flight: their records, whether the worker says
    /// where the deliveries belonged or the store has to look, store nothing and fail nothing.
    @Test(arguments: StoreEngine.allCases)
    func recordsOfDeliveriesDeletedWithTheirWebhookStoreNothing(engine: StoreEngine) async throws {
        let store = try await engine.makeStore()
        let account = try await F.account(store)
        let webhook = try await F.webhook(store, account: account)
        let kept = try await F.webhook(store, account: account)
        _ = try await F.begin(store, account: account, call: "c1")
        let jobs = try await store.leaseDueDeliveries(limit: 10, now: F.t0, leaseUntil: F.t0.adding(seconds: 60), owner: "w")
        #expect(jobs.count == 2)
        #expect(try await store.deleteWebhook(id: webhook.id, accountID: account.id))
        let gone = try #require(jobs.first { $0.webhook.id == webhook.id })
        let other = try #require(jobs.first { $0.webhook.id == kept.id })
        let unkeyed = Self.result(gone, number: 1, verdict: .delivered, owner: "w", keyed: false)
        try await store.recordAttempts([Self.result(gone, number: 1, verdict: .delivered, owner: "w"), unkeyed, Self.result(other, number: 1, verdict: .delivered, owner: "w")])
        #expect(try await store.attempts(deliveryID: gone.delivery.id).isEmpty)
        #expect(try await store.delivery(id: other.delivery.id, accountID: account.id)?.status == .delivered)
    }

    @Test(arguments: StoreEngine.allCases)
    func attemptsRecordedAgainAreStoredOnceAndChangeNothingMore(engine: StoreEngine) async throws {
        let store = try await engine.makeStore()
        let account = try await F.account(store)
        _ = try await F.webhook(store, account: account)
        _ = try await F.begin(store, account: account, call: "c1")
        _ = try await F.end(store, account: account, call: "c1")
        let job = try #require(try await store.leaseDueDeliveries(limit: 10, now: F.t0, leaseUntil: F.t0.adding(seconds: 60), owner: "w").first)
        let failed = Self.result(job, number: 1, verdict: .retry(at: F.t0), owner: "w")
        try await store.recordAttempts([failed])
        // The worker was told `unavailable` though the commit happened: it records the batch again.
        try await store.recordAttempts([failed])
        let again = try #require(try await store.leaseDueDeliveries(limit: 10, now: F.t0, leaseUntil: F.t0.adding(seconds: 60), owner: "w").first)
        #expect(again.delivery.id == job.delivery.id && again.delivery.attemptCount == 1, "counted once")
        #expect(again.scheduleAttempts == 1, "one attempt of its retry schedule spent, not two")
        let delivered = Self.result(again, number: 2, verdict: .delivered, owner: "w")
        try await store.recordAttempts([delivered, delivered])
        try await store.recordAttempts([delivered])
        #expect(try await store.attempts(deliveryID: job.delivery.id).map(\.number) == [1, 2])
        let stored = try #require(try await store.delivery(id: job.delivery.id, accountID: account.id))
        #expect(stored.status == .delivered && stored.attemptCount == 2)
        #expect(try await store.call(id: "c1", accountID: account.id)?.captured == ["order_id": 7])
        // The end, waiting behind the begin, was released once and is due.
        let end = try await store.leaseDueDeliveries(limit: 10, now: F.t0, leaseUntil: F.t0.adding(seconds: 60), owner: "w")
        #expect(end.count == 1 && end.first?.delivery.eventKind == .callEnd)
    }

    @Test(arguments: StoreEngine.allCases)
    func aLeaseIsReleasedOnlyByItsHolder(engine: StoreEngine) async throws {
        let store = try await engine.makeStore()
        let account = try await F.account(store)
        _ = try await F.webhook(store, account: account, triggers: [.callBegin])
        _ = try await F.begin(store, account: account, call: "c1")
        let first = try #require(try await store.leaseDueDeliveries(limit: 10, now: F.t0, leaseUntil: F.t0.adding(seconds: 60), owner: "w1").first)
        // w1 stalled past its lease; w2 took the delivery.
        let later = F.t0.adding(seconds: 61)
        let second = try #require(try await store.leaseDueDeliveries(limit: 10, now: later, leaseUntil: later.adding(seconds: 60), owner: "w2").first)
        #expect(second.delivery.id == first.delivery.id)
        // w1's late failure is kept in the record but leaves w2's lease and the state alone.
        try await store.recordAttempts([Self.result(first, number: 1, verdict: .retry(at: later), owner: "w1", at: later)])
        #expect(try await store.statistics(now: later).leased == 1, "w2 still holds it")
        #expect(try await store.leaseDueDeliveries(limit: 10, now: later, leaseUntil: later.adding(seconds: 60), owner: "w3").isEmpty)
        #expect(try await store.delivery(id: first.delivery.id, accountID: account.id)?.status == .pending)
        // A late success still counts: the delivery is delivered, whoever holds the lease.
        _ = try await F.begin(store, account: account, call: "c2", at: later)
        let third = try #require(
            try await store.leaseDueDeliveries(limit: 10, now: later, leaseUntil: later.adding(seconds: 60), owner: "w1").first { $0.delivery.subjectID == "c2" })
        let fourth = try #require(
            try await store.leaseDueDeliveries(limit: 10, now: later.adding(seconds: 61), leaseUntil: later.adding(seconds: 121), owner: "w2").first {
                $0.delivery.subjectID == "c2"
            })
        try await store.recordAttempts([Self.result(third, number: 1, verdict: .delivered, owner: "w1", at: later)])
        #expect(try await store.delivery(id: fourth.delivery.id, accountID: account.id)?.status == .delivered)
    }

    /// A backend that stops answering (SIGSTOP) mid-record: the caller is told `unavailable`
    /// after 15 s; when the backend resumes, the abandoned transaction rolls back instead of
    /// committing, and the worker's second record is the only one.
    @Test func aRecordAbandonedAtItsDeadlineDoesNotCommitWhenTheBackendComesBack() async throws {
        let store = try await StoreEngine.postgres.makeStore() as! PostgresStore
        let account = try await F.account(store)
        _ = try await F.webhook(store, account: account, triggers: [.callBegin])
        _ = try await F.begin(store, account: account, call: "c1")
        let job = try #require(try await store.leaseDueDeliveries(limit: 10, now: F.t0, leaseUntil: F.t0.adding(seconds: 600), owner: "w").first)
        let recorder = try PostgresStore(location: store.location, maximumConnections: 1)
        let pid = try #require(try await recorder.rows("SELECT pg_backend_pid() AS pid").first?.column("pid", as: Int32.self))
        #expect(kill(pid, SIGSTOP) == 0)
        // A stopped backend left behind would hold the shared test cluster's locks for good.
        defer { kill(pid, SIGCONT) }
        let result = Self.result(job, number: 1, verdict: .delivered, owner: "w")
        do {
            try await recorder.recordAttempts([result])
            Issue.record("a stopped backend answered")
        } catch StoreError.unavailable(let message) {
            #expect(message.contains("no answer"), "\(message)")
        }
        #expect(kill(pid, SIGCONT) == 0)
        // The abandoned work finishes, rolled back: nothing of what the caller was told failed is there.
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            let state = try await store.rows("SELECT state FROM pg_stat_activity WHERE pid = \(pid)").first?.column("state", as: String?.self)
            if state == "idle" { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(try await store.attempts(deliveryID: job.delivery.id).isEmpty, "the abandoned transaction committed")
        #expect(try await store.delivery(id: job.delivery.id, accountID: account.id)?.status == .pending)
        try await recorder.recordAttempts([result])
        #expect(try await store.attempts(deliveryID: job.delivery.id).count == 1)
        let stored = try #require(try await store.delivery(id: job.delivery.id, accountID: account.id))
        #expect(stored.status == .delivered && stored.attemptCount == 1)
        // Nothing is left half done: no transaction of that backend is open.
        let open = try await store.rows("SELECT COUNT(*) AS open FROM pg_stat_activity WHERE pid = \(pid) AND state LIKE 'idle in transaction%'").first
        #expect(try open?.column("open", as: Int.self) == 0)
    }

    /// A request waiting on a lock gives up within the server's lock timeout and stores nothing.
    @Test func anIngestWaitingOnALockGivesUpAndStoresNothing() async throws {
        let store = try await StoreEngine.postgres.makeStore() as! PostgresStore
        let account = try await F.account(store)
        _ = try await F.webhook(store, account: account, triggers: [.callBegin])
        let holder = Task {
            try await store.transaction { connection in
                try await connection.query("LOCK TABLE calls IN ACCESS EXCLUSIVE MODE", logger: store.logger)
                try await Task.sleep(for: .seconds(11))
            }
        }
        try await Task.sleep(for: .milliseconds(500))
        do {
            _ = try await F.begin(store, account: account, call: "blocked")
            Issue.record("the ingest went through a table held by another")
        } catch StoreError.unavailable(let message) {
            // The server's lock timeout, not the client's own deadline ("no answer within 15 s").
            #expect(message.contains("did not finish in time") && message.contains("nothing of this request was stored"), "\(message)")
        }
        _ = try? await holder.value
        #expect(try await store.call(id: "blocked", accountID: account.id) == nil)
        #expect(try await store.statistics(now: F.t0).pending == 0)
    }
}
