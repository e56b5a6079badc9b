import HooklineCore
import HooklineStore
import Testing

/// The account's channels hear of a webhook's outage once (failing, disabled on 410, recovered),
/// of its dead deliveries in a digest, each alert a delivery to each channel that takes its kind;
/// never of a channel itself; once with two stores sweeping at once; the same across a restart.
/// The same from every engine.
@Suite struct AlertConformanceTests {
    typealias F = Fixtures
    static let links = AlertLinks(base: "https://hookline.example")

    static func channel(_ store: any Store, _ account: Account, _ kind: ChannelKind, triggers: [EventKind] = EventKind.alerts) async throws -> Webhook {
        let options: JSONObject = kind == .telegram ? ["chat_id": "-100"] : [:]
        let settings = WebhookSettings(
            name: "\(kind.rawValue) alerts", url: "http://127.0.0.1:9/\(kind.rawValue)", template: .preset(PresetChoice(name: kind.preset.name, options: options)),
            triggers: triggers)
        let webhook = Webhook(
            id: Identifier.make("wh", at: F.t0) + kind.rawValue, accountID: account.id, settings: settings, secrets: .generate(), createdAt: F.t0, updatedAt: F.t0)
        try await store.insertWebhook(webhook)
        return webhook
    }

    /// Records one attempt of each of the webhook's due deliveries with `verdict`.
    static func answer(_ store: any Store, _ webhook: Webhook, at seconds: Double, success: Bool, verdict: DeliveryJudge.Verdict) async throws {
        let now = F.t0.adding(seconds: seconds)
        for job in try await store.leaseDueDeliveries(limit: 50, now: now, leaseUntil: now.adding(seconds: 60), owner: "w") {
            let result = job.webhook.id == webhook.id ? verdict : .delivered
            try await store.recordAttempts([
                AttemptResult(
                    deliveryID: job.delivery.id, attempt: F.attempt(job.delivery.attemptCount + 1, success: job.webhook.id != webhook.id || success, at: now),
                    verdict: result, renderedPayload: nil, now: now)
            ])
        }
    }

    static func alerts(_ store: any Store, _ account: Account, channel: Webhook) async throws -> [Delivery] {
        try await store.deliveries(accountID: account.id, filter: DeliveryFilter(webhookID: channel.id), page: PageRequest(limit: 100)).items
    }

    @Test(arguments: StoreEngine.allCases)
    func anOutageIsToldOnceToEachChannelThenItsRecovery(engine: StoreEngine) async throws {
        let store = try await engine.makeStore()
        let account = try await F.account(store)
        let crm = try await F.webhook(store, account: account, triggers: [.callBegin], retry: RetryPolicy(schedule: [0, 0, 0, 0, 0, 0], maximumAge: 86_400))
        for call in 0..<6 { _ = try await F.begin(store, account: account, call: "c\(call)") }
        try await Self.answer(store, crm, at: 0, success: false, verdict: .retry(at: F.t0.adding(seconds: 3600)))
        #expect(try await store.sweepAlerts(links: Self.links, now: F.t0.adding(seconds: 10), limit: 10).isEmpty, "no channel: nobody to tell, nothing marked")

        let slack = try await Self.channel(store, account, .slack)
        let recoveries = try await Self.channel(store, account, .json, triggers: [.webhookRecovered])
        let raised = try await store.sweepAlerts(links: Self.links, now: F.t0.adding(seconds: 11), limit: 10)
        #expect(raised.map(\.kind) == [.webhookFailing] && raised.first?.webhookID == crm.id)
        #expect(try await store.sweepAlerts(links: Self.links, now: F.t0.adding(seconds: 12), limit: 10).isEmpty, "told once")
        let told = try await Self.alerts(store, account, channel: slack)
        #expect(told.map(\.eventKind) == [.webhookFailing] && told.first?.subjectID == crm.id)
        #expect(try await Self.alerts(store, account, channel: recoveries).isEmpty, "a channel hears only the kinds it takes")

        // The channel's delivery renders the alert in Slack's shape.
        let now = F.t0.adding(seconds: 13)
        let job = try #require(try await store.leaseDueDeliveries(limit: 50, now: now, leaseUntil: now.adding(seconds: 60), owner: "w").first { $0.webhook.id == slack.id })
        #expect(job.values["alert_text"]?.stringValue?.hasPrefix("Webhook \"hook\" is failing: 6 attempts in a row failed.") == true)
        #expect(job.values["alert_url"] == .string("https://hookline.example/webhooks/\(crm.id)"))
        // The channel failing itself is never an alert.
        for round in 0..<6 {
            let at = F.t0.adding(seconds: 14 + Double(round))
            try await store.recordAttempts([
                AttemptResult(deliveryID: job.delivery.id, attempt: F.attempt(round + 1, success: false, at: at), verdict: .retry(at: at), renderedPayload: nil, now: at)
            ])
        }
        #expect(try await store.webhook(id: slack.id, accountID: account.id)?.health.state == .failing)
        #expect(try await store.sweepAlerts(links: Self.links, now: F.t0.adding(seconds: 30), limit: 10).isEmpty, "never about a channel")

        let waiting = try await store.deliveries(accountID: account.id, filter: DeliveryFilter(webhookID: crm.id, status: .pending), page: PageRequest())
        let probe = try #require(waiting.items.first)
        let at = F.t0.adding(seconds: 40)
        try await store.recordAttempts([
            AttemptResult(deliveryID: probe.id, attempt: F.attempt(probe.attemptCount + 1, success: true, at: at), verdict: .delivered, renderedPayload: nil, now: at)
        ])
        let restarted = try await engine.reopen(store)
        #expect(try await restarted.sweepAlerts(links: Self.links, now: F.t0.adding(seconds: 41), limit: 10).map(\.kind) == [.webhookRecovered])
        #expect(try await Self.alerts(restarted, account, channel: recoveries).map(\.eventKind) == [.webhookRecovered])
        #expect(try await restarted.sweepAlerts(links: Self.links, now: F.t0.adding(seconds: 42), limit: 10).isEmpty)
    }

    @Test(arguments: StoreEngine.allCases)
    func goneAndDeadDeliveriesAreToldOnceWithTwoStoresSweepingAtOnce(engine: StoreEngine) async throws {
        let (first, second) = try await engine.makeTwoStores()
        let account = try await F.account(first)
        let crm = try await F.webhook(first, account: account, triggers: [.callBegin])
        let telegram = try await Self.channel(first, account, .telegram)
        for call in 0..<3 { _ = try await F.begin(first, account: account, call: "d\(call)") }
        try await Self.answer(first, crm, at: 1, success: false, verdict: .dead)
        #expect(try await first.webhook(id: crm.id, accountID: account.id)?.health.consecutiveFailures == 3)
        async let one = first.sweepAlerts(links: Self.links, now: F.t0.adding(seconds: 2), limit: 10)
        async let two = second.sweepAlerts(links: Self.links, now: F.t0.adding(seconds: 2), limit: 10)
        let raised = try await one + two
        #expect(raised.map(\.kind) == [.deliveryDead], "once, from either store")
        #expect(raised.first?.values["dead_count"] == 3)
        #expect(raised.first?.values["alert_url"] == .string("https://hookline.example/deliveries?webhook_id=\(crm.id)&status=dead"))

        _ = try await F.begin(first, account: account, call: "gone")
        try await Self.answer(first, crm, at: 3, success: false, verdict: .disableWebhook)
        async let three = first.sweepAlerts(links: Self.links, now: F.t0.adding(seconds: 4), limit: 10)
        async let four = second.sweepAlerts(links: Self.links, now: F.t0.adding(seconds: 4), limit: 10)
        let gone = try await three + four
        #expect(gone.map(\.kind) == [.webhookDisabled])
        #expect(gone.first?.values["disabled_reason"] == .string(AttemptTransition.goneReason))
        let told = try await Self.alerts(first, account, channel: telegram)
        #expect(told.map(\.eventKind).sorted { $0.rawValue < $1.rawValue } == [.deliveryDead, .webhookDisabled])
        // Within the hour the next deaths wait for the digest.
        try await first.setAlertPolicy(AlertPolicy(failures: 3, digestMinutes: 30, reminderDays: [2]), accountID: account.id)
        #expect(try await second.alertPolicy(accountID: account.id) == AlertPolicy(failures: 3, digestMinutes: 30, reminderDays: [2]))
        #expect(try await first.sweepAlerts(links: Self.links, now: F.t0.adding(seconds: 2 * 86_400 + 4), limit: 10).map(\.values["reminder_days"]) == [2])
    }

    /// A receiver that fails every other request never fails five in a row; the account's failure
    /// rate tells it anyway, measured from the attempts of the window on either engine.
    @Test(arguments: StoreEngine.allCases)
    func aWebhookFailingHalfItsAttemptsIsToldByTheRate(engine: StoreEngine) async throws {
        let store = try await engine.makeStore()
        let account = try await F.account(store)
        let crm = try await F.webhook(store, account: account, triggers: [.callBegin], retry: RetryPolicy(schedule: [0, 3600], maximumAge: 86_400))
        _ = try await Self.channel(store, account, .slack)
        for call in 0..<8 { _ = try await F.begin(store, account: account, call: "r\(call)") }
        let jobs = try await store.leaseDueDeliveries(limit: 20, now: F.t0, leaseUntil: F.t0.adding(seconds: 60), owner: "w")
        #expect(jobs.count == 8)
        for (index, job) in jobs.enumerated() {
            let failed = index % 2 == 1
            let at = F.t0.adding(seconds: Double(index))
            try await store.recordAttempts([
                AttemptResult(
                    deliveryID: job.delivery.id, attempt: F.attempt(1, success: !failed, at: at), verdict: failed ? .retry(at: at.adding(seconds: 3600)) : .delivered,
                    renderedPayload: nil, now: at)
            ])
        }
        #expect(try await store.webhook(id: crm.id, accountID: account.id)?.health.consecutiveFailures == 1)
        let now = F.t0.adding(seconds: 60)
        #expect(try await store.sweepAlerts(links: Self.links, now: now, limit: 10).isEmpty, "the standard rules count only failures in a row")
        try await store.setAlertPolicy(
            AlertPolicy(failures: 5, digestMinutes: 60, reminderDays: [1], failureRate: .init(percent: 50, minutes: 15, minimumAttempts: 8)), accountID: account.id)
        let raised = try await store.sweepAlerts(links: Self.links, now: now, limit: 10)
        #expect(raised.map(\.kind) == [.webhookFailing])
        #expect(raised.first?.values["alert_text"]?.stringValue?.contains("4 of its last 8 attempts failed") == true)
        #expect(try await store.sweepAlerts(links: Self.links, now: now.adding(seconds: 3), limit: 10).isEmpty, "told once")
        #expect(try await store.alertPolicy(accountID: account.id).failureRate?.minimumAttempts == 8)
        // Past the window its attempts no longer count, but its last one failed: back once one succeeds.
        let later = F.t0.adding(seconds: 16 * 60)
        #expect(try await store.sweepAlerts(links: Self.links, now: later, limit: 10).isEmpty)
        let waiting = try await store.deliveries(accountID: account.id, filter: DeliveryFilter(webhookID: crm.id, status: .pending), page: PageRequest())
        let retried = try #require(waiting.items.first)
        try await store.recordAttempts([
            AttemptResult(deliveryID: retried.id, attempt: F.attempt(2, success: true, at: later), verdict: .delivered, renderedPayload: nil, now: later)
        ])
        #expect(try await store.sweepAlerts(links: Self.links, now: later.adding(seconds: 3), limit: 10).map(\.kind) == [.webhookRecovered])
    }

    /// A webhook auto-disabled after its account's days is told as disabled, then reminded.
    @Test(arguments: StoreEngine.allCases)
    func anAutoDisabledWebhookIsToldThenReminded(engine: StoreEngine) async throws {
        let store = try await engine.makeStore()
        let account = try await F.account(store)
        let down = try await AutoDisableConformanceTests.failingWebhook(store, account)
        _ = try await Self.channel(store, account, .json)
        let day: Double = 86_400
        #expect(try await store.disableLongFailingWebhooks(now: F.t0.adding(seconds: 5 * day), limit: 10).map(\.id) == [down.id])
        let told = try await store.sweepAlerts(links: Self.links, now: F.t0.adding(seconds: 5 * day + 1), limit: 10)
        #expect(told.map(\.kind) == [.webhookDisabled], "the outage is first heard of as the disabling: the failing alert's moment passed")
        #expect(told.first?.values["disabled_reason"] == "failing without a success for 5 days")
        #expect(try await store.sweepAlerts(links: Self.links, now: F.t0.adding(seconds: 6 * day), limit: 10).isEmpty)
        let reminded = try await store.sweepAlerts(links: Self.links, now: F.t0.adding(seconds: 7 * day), limit: 10)
        #expect(reminded.map(\.kind) == [.webhookDisabled] && reminded.first?.values["reminder_days"] == 7)
    }
}
