import Testing
import HooklineCore
import HooklineStore

/// Per-call order, in-flight limits and endpoint health, as every store must lease them.
@Suite struct QueueConformanceTests {
    typealias F = Fixtures

    func lease(
        _ store: any Store, at time: Timestamp = F.t0, limit: Int = 100, owner: String = "w", answered: TestAnswered = TestAnswered()
    ) async throws -> [DeliveryJob] {
        try await store.leaseDueDeliveries(limit: limit, now: time, leaseUntil: time.adding(seconds: 60), owner: owner, answered: answered)
    }

    func record(_ store: any Store, _ job: DeliveryJob, success: Bool, at time: Timestamp = F.t0, verdict: DeliveryJudge.Verdict? = nil) async throws {
        var attempt = F.attempt(job.delivery.attemptCount + 1, success: success, at: time)
        attempt.errorMessage = success ? nil : "HTTP 500"
        try await store.recordAttempts([
            AttemptResult(
                deliveryID: job.delivery.id, attempt: attempt, verdict: verdict ?? (success ? .delivered : .retry(at: time.adding(seconds: 10))),
                renderedPayload: nil, now: time)
        ])
    }

    @Test(arguments: StoreEngine.allCases)
    func aCallsEndWaitsUntilItsBeginIsDeliveredOrDeadWhileOtherCallsGoOn(engine: StoreEngine) async throws {
        let store = try await engine.makeStore()
        let account = try await F.account(store)
        _ = try await F.webhook(store, account: account)
        _ = try await F.begin(store, account: account, call: "c1")
        _ = try await F.end(store, account: account, call: "c1")
        _ = try await F.begin(store, account: account, call: "c2")

        let first = try await lease(store)
        #expect(first.map(\.delivery.subjectID).sorted() == ["c1", "c2"])
        #expect(first.allSatisfy { $0.delivery.eventKind == .callBegin })
        let c1Begin = try #require(first.first { $0.delivery.subjectID == "c1" })

        // The begin fails: the end still waits, through the retry.
        try await record(store, c1Begin, success: false)
        #expect(try await lease(store, at: F.t0.adding(seconds: 5)).isEmpty)
        let retry = try await lease(store, at: F.t0.adding(seconds: 10))
        #expect(retry.map(\.delivery.id) == [c1Begin.delivery.id])
        try await record(store, retry[0], success: false, at: F.t0.adding(seconds: 10), verdict: .dead)

        // Dead: the end may go now.
        let end = try await lease(store, at: F.t0.adding(seconds: 10))
        #expect(end.map(\.delivery.eventKind) == [.callEnd])
        #expect(end.first?.delivery.subjectID == "c1")
    }

    /// A lead and a call may carry the same id: neither waits behind the other's deliveries, and
    /// neither's delivery lets the other's next one go.
    @Test(arguments: StoreEngine.allCases)
    func aLeadAndACallWithTheSameIdKeepTheirOwnOrder(engine: StoreEngine) async throws {
        let store = try await engine.makeStore()
        let account = try await F.account(store)
        _ = try await F.webhook(store, account: account, triggers: [.callBegin, .callEnd, .leadCreated, .leadMessage])
        func lead(_ command: IngestCommand) async throws {
            _ = try await store.ingest(IngestRequest(accountID: account.id, command: command, idempotencyKey: nil, now: F.t0))
        }

        _ = try await F.begin(store, account: account, call: "s1")
        let callBegin = try await lease(store)
        #expect(callBegin.map(\.delivery.eventKind) == [.callBegin])
        _ = try await F.end(store, account: account, call: "s1")
        try await lead(.createLead(leadID: "s1", values: ["lead_id": "s1"]))
        let leadCreated = try await lease(store)
        #expect(leadCreated.map(\.delivery.eventKind) == [.leadCreated])

        // The lead's delivery does not let the call's end go: the call's begin is still in flight.
        try await record(store, leadCreated[0], success: true)
        try await lead(.addMessage(leadID: "s1", messageID: "m1", values: ["message_title": "hi"]))
        // The lead's message does not wait behind the call.
        #expect(try await lease(store).map(\.delivery.eventKind) == [.leadMessage])

        try await record(store, callBegin[0], success: true)
        #expect(try await lease(store).map(\.delivery.eventKind) == [.callEnd])
    }

    @Test(arguments: StoreEngine.allCases)
    func aWebhookNeverHasMoreThanItsLimitInFlight(engine: StoreEngine) async throws {
        let store = try await engine.makeStore()
        let account = try await F.account(store)
        let limited = try await F.webhook(store, account: account, triggers: [.callBegin], maxInFlight: 2)
        let other = try await F.webhook(store, account: account, triggers: [.callBegin])
        for index in 0..<5 { _ = try await F.begin(store, account: account, call: "c\(index)") }

        let jobs = try await lease(store)
        #expect(jobs.filter { $0.webhook.id == limited.id }.count == 2)
        #expect(jobs.filter { $0.webhook.id == other.id }.count == 5)
        #expect(try await lease(store).isEmpty)
        // A finished request frees a slot.
        try await record(store, try #require(jobs.first { $0.webhook.id == limited.id }), success: true)
        #expect(try await lease(store).map(\.webhook.id) == [limited.id])
    }

    @Test(arguments: StoreEngine.allCases)
    func aFailingEndpointGetsOneProbeAtATimeAndRecoveryMakesEverythingDue(engine: StoreEngine) async throws {
        let store = try await engine.makeStore()
        let account = try await F.account(store)
        var webhook = try await F.webhook(store, account: account, triggers: [.callBegin], retry: RetryPolicy(schedule: [0, 3600], maximumAge: 86_400))
        webhook.settings.probeInterval = 30
        try await store.updateWebhook(webhook)
        for index in 0..<20 { _ = try await F.begin(store, account: account, call: "c\(index)") }

        // Five failures in a row make the endpoint failing.
        let later = F.t0.adding(seconds: 3600)
        let batch = try await lease(store, limit: 5)
        for job in batch { try await record(store, job, success: false, verdict: .retry(at: later)) }
        let failing = try #require(try await store.webhook(id: webhook.id, accountID: account.id))
        #expect(failing.health.state == .failing)
        #expect(failing.health.consecutiveFailures == 5)
        #expect(failing.health.failingSince == F.t0)
        #expect(failing.health.lastError == "HTTP 500")
        #expect(try await store.statistics(now: F.t0).failingEndpoints == 1)

        // Fifteen deliveries are overdue, but nothing goes before the probe time, then one probe.
        #expect(try await lease(store, at: F.t0.adding(seconds: 1)).isEmpty)
        #expect(try await store.nextDueTime() == F.t0.adding(seconds: 30))
        let probe = try await lease(store, at: F.t0.adding(seconds: 30))
        #expect(probe.count == 1)
        // Even answered, the probe holds the next one back until its record says how it went.
        let answered = TestAnswered()
        answered.add(deliveryID: try #require(probe.first).delivery.id, webhookID: webhook.id)
        #expect(try await lease(store, at: F.t0.adding(seconds: 30), answered: answered).isEmpty)
        try await record(store, try #require(probe.first), success: false, at: F.t0.adding(seconds: 30), verdict: .retry(at: later))
        // The next probe waits for the probe interval, not for the hour the schedule says.
        #expect(try await lease(store, at: F.t0.adding(seconds: 45)).isEmpty)
        #expect(try await store.nextDueTime() == F.t0.adding(seconds: 60))
        let next = try await lease(store, at: F.t0.adding(seconds: 60))
        #expect(next.count == 1)
        let untouched = try await store.deliveries(accountID: account.id, filter: DeliveryFilter(status: .pending), page: PageRequest(limit: 100))
        #expect(untouched.items.filter { $0.attemptCount == 0 }.count == 14)

        // The first success: healthy, and everything pending is due at once, up to the in-flight limit.
        try await record(store, try #require(next.first), success: true, at: F.t0.adding(seconds: 60))
        let healthy = try #require(try await store.webhook(id: webhook.id, accountID: account.id))
        #expect(healthy.health.state == .healthy)
        #expect(healthy.health.consecutiveFailures == 0)
        var sent = 0
        var now = F.t0.adding(seconds: 60)
        while case let jobs = try await lease(store, at: now), !jobs.isEmpty {
            #expect(jobs.count <= 8)
            for job in jobs { try await record(store, job, success: true, at: now) }
            sent += jobs.count
            now = now.adding(seconds: 0.001)
        }
        #expect(sent == 19)
        #expect(try await store.statistics(now: now).pending == 0)
    }

    @Test(arguments: StoreEngine.allCases)
    func a410DisablesTheWebhookAndItsDeliveryWaits(engine: StoreEngine) async throws {
        let store = try await engine.makeStore()
        let account = try await F.account(store)
        var webhook = try await F.webhook(store, account: account, triggers: [.callBegin])
        _ = try await F.begin(store, account: account, call: "c1")
        let job = try #require(try await lease(store).first)
        try await record(store, job, success: false, verdict: .disableWebhook)
        let disabled = try #require(try await store.webhook(id: webhook.id, accountID: account.id))
        #expect(!disabled.settings.enabled)
        #expect(disabled.disabledReason == "the receiver answered 410 Gone")
        #expect(try await store.delivery(id: job.delivery.id, accountID: account.id)?.status == .pending)
        #expect(try await lease(store).isEmpty)

        webhook.settings.enabled = true
        try await store.updateWebhook(webhook)
        #expect(try await store.webhook(id: webhook.id, accountID: account.id)?.disabledReason == nil)
        #expect(try await lease(store).map(\.delivery.id) == [job.delivery.id])
    }

    @Test(arguments: StoreEngine.allCases)
    func rotatingASecretKeepsThePreviousForADay(engine: StoreEngine) async throws {
        let store = try await engine.makeStore()
        let account = try await F.account(store)
        let webhook = try await F.webhook(store, account: account)
        let rotated = try #require(try await store.rotateSecret(webhookID: webhook.id, accountID: account.id, now: F.t0))
        #expect(rotated.secrets.current != webhook.secrets.current)
        #expect(rotated.secrets.signing(at: F.t0.adding(seconds: 3600)) == [rotated.secrets.current, webhook.secrets.current])
        #expect(rotated.secrets.signing(at: F.t0.adding(seconds: 86_400)) == [rotated.secrets.current])
        #expect(try await store.webhook(id: webhook.id, accountID: account.id)?.secrets == rotated.secrets)
        let other = try await F.account(store, "Other")
        #expect(try await store.rotateSecret(webhookID: webhook.id, accountID: other.id, now: F.t0) == nil)
    }
}
