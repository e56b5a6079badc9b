import HooklineCore
import HooklineStore
import Testing

/// A receiver's 429 with `Retry-After` pauses the whole webhook: no delivery of it is leased
/// before then, across a restart, and all are leased once it is over. The same from every engine.
@Suite struct WebhookPauseConformanceTests {
    typealias F = Fixtures
    typealias L = LaterDataConformanceTests

    @Test(arguments: StoreEngine.allCases)
    func aRetryAfterPausesEveryDeliveryOfTheWebhookUntilItsEnd(engine: StoreEngine) async throws {
        let first = try await engine.makeStore()
        let account = try await F.account(first)
        let webhook = try await F.webhook(first, account: account, triggers: [.callBegin])
        let other = try await F.webhook(first, account: account, triggers: [.callBegin])
        _ = try await L.ingest(first, account, .beginCall(callID: "c1", values: ["callid": "c1"]), at: 0)
        let now = F.t0.adding(seconds: 1)
        let leased = try await first.leaseDueDeliveries(limit: 10, now: now, leaseUntil: now.adding(seconds: 30), owner: "w")
        #expect(leased.count == 2)
        let answered = try #require(leased.first { $0.webhook.id == webhook.id })
        let throttled = Attempt(
            number: 1, startedAt: now, durationMilliseconds: 3, request: RecordedRequest(method: "POST", url: "http://127.0.0.1:9/", headers: [], body: "{}"),
            response: RecordedResponse(status: 429, headers: [HeaderField(name: "Retry-After", value: "20")], body: "", bodyTruncated: false),
            errorKind: .status, errorMessage: "HTTP 429 is not a success code")
        try await first.recordAttempts([
            AttemptResult(
                deliveryID: answered.delivery.id, attempt: throttled, verdict: .retry(at: now.adding(seconds: 20)), renderedPayload: nil, leaseOwner: "w",
                pausesWebhookUntil: now.adding(seconds: 20), now: now)
        ])
        for job in leased where job.delivery.id != answered.delivery.id {
            try await first.recordAttempts([
                AttemptResult(deliveryID: job.delivery.id, attempt: F.attempt(1, success: true, at: now), verdict: .delivered, renderedPayload: nil, leaseOwner: "w", now: now)
            ])
        }
        #expect(try await first.webhook(id: webhook.id, accountID: account.id)?.health.pausedUntil == now.adding(seconds: 20))
        #expect(try await first.webhook(id: other.id, accountID: account.id)?.health.pausedUntil == nil, "another webhook's receiver is not paused")
        _ = try await L.ingest(first, account, .beginCall(callID: "c2", values: ["callid": "c2"]), at: 2)

        let store = try await engine.reopen(first)
        let during = F.t0.adding(seconds: 15)
        let whilePaused = try await store.leaseDueDeliveries(limit: 10, now: during, leaseUntil: during.adding(seconds: 30), owner: "w")
        #expect(!whilePaused.contains { $0.webhook.id == webhook.id }, "another call's delivery, due since it came, waits for the pause too")
        #expect(whilePaused.map(\.webhook.id) == [other.id], "another webhook goes on")
        let due = try #require(try await store.nextDueTime())
        #expect(due <= now.adding(seconds: 20), "the worker wakes when the pause ends")
        let after = now.adding(seconds: 20)
        let resumed = try await store.leaseDueDeliveries(limit: 10, now: after, leaseUntil: after.adding(seconds: 30), owner: "w")
        #expect(resumed.filter { $0.webhook.id == webhook.id }.count == 2, "both of its deliveries go once it is over")
    }
}
