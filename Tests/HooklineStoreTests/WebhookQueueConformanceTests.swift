import HooklineCore
import HooklineStore
import Testing

/// What waits in each webhook's queue, as the webhooks list and page show it: waiting, in flight
/// and held counted apart, the next due time, only the account's own webhooks. The same answer
/// from every engine.
@Suite struct WebhookQueueConformanceTests {
    typealias F = Fixtures
    typealias L = LaterDataConformanceTests
    typealias H = HoldConformanceTests

    @Test(arguments: StoreEngine.allCases)
    func waitingInFlightAndHeldAreCountedApartPerWebhookOfTheAccount(engine: StoreEngine) async throws {
        let store = try await engine.makeStore()
        let account = try await F.account(store)
        let other = try await F.account(store, "Other")
        let webhook = try await H.holdingWebhook(store, account)
        let theirs = try await F.webhook(store, account: other)
        #expect(try await store.webhookQueues(accountID: account.id).isEmpty)

        _ = try await L.ingest(store, account, .beginCall(callID: "c1", values: ["callid": "c1"]), at: 0)
        _ = try await L.ingest(store, account, .endCall(callID: "c1", values: ["dialstatus": "ANSWER"]), at: 30)
        let now = F.t0.adding(seconds: 31)
        let leased = try await store.leaseDueDeliveries(limit: 20, now: now, leaseUntil: now.adding(seconds: 30), owner: "w")
        #expect(leased.map(\.delivery.eventKind) == [.callBegin])
        // A second call: its begin is due at 40, its end waits behind it.
        _ = try await L.ingest(store, account, .beginCall(callID: "c2", values: ["callid": "c2"]), at: 40)
        _ = try await L.ingest(store, account, .endCall(callID: "c2", values: ["rec_audiourl": "https://r/2"]), at: 41)
        _ = try await L.ingest(store, other, .beginCall(callID: "x1", values: ["callid": "x1"]), at: 50)

        let queues = try await store.webhookQueues(accountID: account.id)
        #expect(queues == [webhook.id: WebhookQueue(waiting: 2, inFlight: 1, held: 1, nextAttemptAt: F.t0.adding(seconds: 40))])
        #expect(try await store.webhookQueues(accountID: other.id) == [theirs.id: WebhookQueue(waiting: 1, nextAttemptAt: F.t0.adding(seconds: 50))])
        // One webhook's page reads its own queue alone; another account's webhook is empty here.
        #expect(try await store.webhookQueue(id: webhook.id, accountID: account.id) == queues[webhook.id])
        #expect(try await store.webhookQueue(id: theirs.id, accountID: other.id) == WebhookQueue(waiting: 1, nextAttemptAt: F.t0.adding(seconds: 50)))
        #expect(try await store.webhookQueue(id: theirs.id, accountID: account.id) == .empty)
        #expect(try await store.webhookQueues(accountID: account.id, webhookID: theirs.id).isEmpty)

        for delivery in leased {
            try await store.recordAttempts([
                AttemptResult(deliveryID: delivery.delivery.id, attempt: F.attempt(1, success: true, at: now), verdict: .delivered, renderedPayload: nil, leaseOwner: "w", now: now)
            ])
        }
        _ = try await H.deliverDue(store, at: 60)
        _ = try await H.deliverDue(store, at: 61)
        let left = try await store.webhookQueues(accountID: account.id)
        #expect(left == [webhook.id: WebhookQueue(held: 1)], "only the held end is left, and nothing is due")
    }
}
