import HooklineCore
import HooklineStore
import Testing

/// A webhook failing without a success for its account's days is disabled by Hookline, once, its
/// pending deliveries kept; an account set to 0 never loses one. The same from every engine.
@Suite struct AutoDisableConformanceTests {
    typealias F = Fixtures
    static let day: Double = 86_400

    /// A webhook of `account` made failing at `F.t0` by five failed attempts, with `calls` pending.
    static func failingWebhook(_ store: any Store, _ account: Account, calls: Int = 5) async throws -> Webhook {
        let webhook = try await F.webhook(store, account: account, triggers: [.callBegin], retry: RetryPolicy(schedule: [0, 3600], maximumAge: 30 * day))
        for index in 0..<calls { _ = try await F.begin(store, account: account, call: "\(account.name)-\(index)") }
        let jobs = try await store.leaseDueDeliveries(limit: 5, now: F.t0, leaseUntil: F.t0.adding(seconds: 60), owner: "w")
        for job in jobs where job.webhook.id == webhook.id {
            try await store.recordAttempts([
                AttemptResult(
                    deliveryID: job.delivery.id, attempt: F.attempt(1, success: false, at: F.t0), verdict: .retry(at: F.t0.adding(seconds: 3600)),
                    renderedPayload: nil, now: F.t0)
            ])
        }
        let failing = try #require(try await store.webhook(id: webhook.id, accountID: account.id))
        #expect(failing.health.state == .failing && failing.health.failingSince == F.t0)
        return failing
    }

    @Test(arguments: StoreEngine.allCases)
    func aWebhookDownForItsAccountsDaysIsDisabledOnceWithItsDeliveriesKept(engine: StoreEngine) async throws {
        let store = try await engine.makeStore()
        let standard = try await F.account(store, "Standard")
        let patient = try await F.account(store, "Patient")
        let quick = try await F.account(store, "Quick")
        #expect(try await store.autoDisable(accountID: standard.id) == .standard)
        try await store.setAutoDisable(AutoDisable(days: 0), accountID: patient.id)
        try await store.setAutoDisable(AutoDisable(days: 1), accountID: quick.id)
        #expect(try await store.autoDisable(accountID: quick.id) == AutoDisable(days: 1))
        let down = try await Self.failingWebhook(store, standard)
        let never = try await Self.failingWebhook(store, patient)
        let soon = try await Self.failingWebhook(store, quick)

        #expect(try await store.disableLongFailingWebhooks(now: F.t0.adding(seconds: Self.day - 1), limit: 10).isEmpty)
        #expect(try await store.disableLongFailingWebhooks(now: F.t0.adding(seconds: Self.day), limit: 10).map(\.id) == [soon.id])
        #expect(try await store.disableLongFailingWebhooks(now: F.t0.adding(seconds: 5 * Self.day - 1), limit: 10).isEmpty, "each once")
        let disabled = try await store.disableLongFailingWebhooks(now: F.t0.adding(seconds: 5 * Self.day), limit: 10)
        #expect(disabled.map(\.id) == [down.id])
        #expect(try await store.disableLongFailingWebhooks(now: F.t0.adding(seconds: 400 * Self.day), limit: 10).isEmpty, "an account at 0 never loses one")

        let shown = try #require(try await store.webhook(id: down.id, accountID: standard.id))
        #expect(!shown.settings.enabled && shown.disabledReason == "failing without a success for 5 days")
        #expect(try await store.webhook(id: soon.id, accountID: quick.id)?.disabledReason == "failing without a success for 1 day")
        #expect(try await store.webhook(id: never.id, accountID: patient.id)?.settings.enabled == true)
        let pending = try await store.deliveries(accountID: standard.id, filter: DeliveryFilter(webhookID: down.id, status: .pending), page: PageRequest())
        #expect(pending.items.count == 5, "its deliveries wait for it to be enabled again")
        let later = F.t0.adding(seconds: 5 * Self.day + 3600)
        #expect(try await store.leaseDueDeliveries(limit: 10, now: later, leaseUntil: later.adding(seconds: 60), owner: "w").allSatisfy { $0.webhook.id == never.id })
    }
}
