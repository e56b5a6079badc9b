import HooklineCore
import HooklineStore
import Testing

/// The figures the UI charts and lists: attempts of a webhook since a time, deliveries per webhook.
@Suite struct ReportConformanceTests {
    typealias F = Fixtures

    @Test(arguments: StoreEngine.allCases)
    func attemptTimingsAndDeliveryCountsCoverOnlyTheirWebhookAccountAndTime(engine: StoreEngine) async throws {
        let store = try await engine.makeStore()
        let account = try await F.account(store)
        let other = try await F.account(store, "Other")
        let webhook = try await F.webhook(store, account: account, triggers: [.callBegin])
        let otherHook = try await F.webhook(store, account: other, triggers: [.callBegin])
        let old = F.t0.adding(seconds: -48 * 3600)
        _ = try await F.begin(store, account: account, call: "old", at: old)
        for index in 0..<3 { _ = try await F.begin(store, account: account, call: "c\(index)") }
        _ = try await F.begin(store, account: other, call: "o1")
        let jobs = try await store.leaseDueDeliveries(limit: 100, now: F.t0, leaseUntil: F.t0.adding(seconds: 60), owner: "w")
        try await store.recordAttempts(jobs.map { job in
            let success = job.delivery.subjectID != "c1"
            return AttemptResult(
                deliveryID: job.delivery.id, attempt: F.attempt(1, success: success, at: job.delivery.createdAt),
                verdict: success ? .delivered : .retry(at: F.t0.adding(seconds: 10)), renderedPayload: nil, now: F.t0)
        })
        let since = F.t0.adding(seconds: -24 * 3600)
        let timings = try await store.attemptTimings(webhookID: webhook.id, accountID: account.id, since: since, limit: 100)
        let hour = Timestamp(millisecondsSince1970: F.t0.millisecondsSince1970 - F.t0.millisecondsSince1970 % 3_600_000)
        #expect(
            Set(timings) == [AttemptTiming(hour: hour, durationMilliseconds: 3, succeeded: true, count: 2), AttemptTiming(hour: hour, durationMilliseconds: 3, succeeded: false, count: 1)],
            "counted by hour, duration and outcome; the old call's attempt and the other account's are left out")
        #expect(try await store.attemptTimings(webhookID: webhook.id, accountID: other.id, since: since, limit: 100).isEmpty)
        #expect(try await store.attemptTimings(webhookID: webhook.id, accountID: account.id, since: since, limit: 1).count == 1)
        #expect(try await store.deliveryCounts(accountID: account.id, since: since) == [webhook.id: 3])
        #expect(try await store.deliveryCounts(accountID: other.id, since: since) == [otherHook.id: 1])
    }
}
