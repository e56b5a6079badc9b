import HooklineCore
import Testing

/// A receiver that answers 429 or 503 with `Retry-After` is asking its sender to slow down: the
/// whole webhook waits until then, not only the delivery it answered.
@Suite struct WebhookPauseTests {
    typealias Q = QueueRulesTests
    static let policy = RetryPolicy(schedule: [0, 10, 60], maximumAge: 3600)

    static func answered(_ status: Int) -> Attempt {
        Attempt(
            number: 1, startedAt: Q.t0, durationMilliseconds: 3, request: RecordedRequest(method: "POST", url: "http://x/", headers: [], body: ""),
            response: RecordedResponse(status: status, headers: [], body: "", bodyTruncated: false), errorKind: .status, errorMessage: "HTTP \(status)")
    }

    @Test func onlyA429Or503WithRetryAfterPausesAndNoLongerThanTheSchedulesLongestDelay() {
        let now = Q.t0
        #expect(DeliveryJudge.webhookPause(for: Self.answered(429), policy: Self.policy, now: now, retryAfter: 20) == now.adding(seconds: 20))
        #expect(DeliveryJudge.webhookPause(for: Self.answered(503), policy: Self.policy, now: now, retryAfter: 5) == now.adding(seconds: 5))
        #expect(DeliveryJudge.webhookPause(for: Self.answered(429), policy: Self.policy, now: now, retryAfter: 86_400) == now.adding(seconds: 60))
        #expect(DeliveryJudge.webhookPause(for: Self.answered(429), policy: Self.policy, now: now, retryAfter: nil) == nil)
        #expect(DeliveryJudge.webhookPause(for: Self.answered(429), policy: Self.policy, now: now, retryAfter: 0) == nil)
        #expect(DeliveryJudge.webhookPause(for: Self.answered(500), policy: Self.policy, now: now, retryAfter: 20) == nil)
        #expect(DeliveryJudge.webhookPause(for: Q.attempt(success: false, kind: .connect), policy: Self.policy, now: now, retryAfter: 20) == nil)
    }

    @Test func nothingIsLeasedNorLeavesAtIngestWhileThePauseHoldsAndTheWebhookIsDueAtItsEnd() {
        let paused = EndpointHealth(consecutiveFailures: 1, pausedUntil: Q.t0.adding(seconds: 20))
        #expect(LeasePolicy.take(health: paused, maxInFlight: 8, leasedRows: 0, inFlight: 0, firstWaiting: Q.t0, now: Q.t0.adding(seconds: 19)) == .nothing)
        #expect(LeasePolicy.take(health: paused, maxInFlight: 8, leasedRows: 0, inFlight: 0, firstWaiting: Q.t0, now: Q.t0.adding(seconds: 20)) == .due(limit: 8))
        let due = LeasePolicy.dueTime(health: paused, maxInFlight: 8, inFlight: 0, firstWaiting: Q.t0, firstExpiry: nil, now: Q.t0.adding(seconds: 1))
        #expect(due == Q.t0.adding(seconds: 20))
        #expect(
            LeasePolicy.dueTime(health: paused, maxInFlight: 8, inFlight: 0, firstWaiting: Q.t0.adding(seconds: 40), firstExpiry: nil, now: Q.t0) == Q.t0.adding(seconds: 40),
            "a delivery due after the pause keeps its own time")
        #expect(LeasePolicy.dueTime(health: paused, maxInFlight: 8, inFlight: 0, firstWaiting: nil, firstExpiry: nil, now: Q.t0) == nil, "nothing waiting, nothing due")
        let ingest = IngestDelivery(retry: Self.policy, waitsBehindEarlier: false, now: Q.t0.adding(seconds: 5))
        #expect(!ingest.mayLeaseAtOnce(Q.webhook(paused)))
        #expect(IngestDelivery(retry: Self.policy, waitsBehindEarlier: false, now: Q.t0.adding(seconds: 21)).mayLeaseAtOnce(Q.webhook(paused)))
    }

    @Test func aPauseIsRecordedOnTheWebhookAndTheLaterOfTwoPausesHolds() throws {
        let transition = AttemptTransition(verdict: .retry(at: Q.t0.adding(seconds: 20)), attempt: Self.answered(429), captured: [:], wasPending: true, now: Q.t0)
        let plan = WebhookAfterAttempt(transition, attempt: Self.answered(429), state: .healthy, consecutiveFailures: 0, pauseUntil: Q.t0.adding(seconds: 20))
        #expect(plan.judgesHealth && plan.changesWebhook)
        var webhook = WebhookTroubleTests.webhook("w")
        let first = try #require(plan.health(of: webhook, after: Self.answered(429), now: Q.t0, earliestScheduled: nil))
        #expect(first.health.pausedUntil == Q.t0.adding(seconds: 20) && first.health.consecutiveFailures == 1)
        webhook.health = first.health
        // A shorter pause asked by another delivery's answer does not end the longer one early.
        let shorter = HealthTransition.after(
            webhook.health, attempt: Self.answered(503), now: Q.t0.adding(seconds: 1), probeInterval: 30, earliestScheduled: nil, pauseUntil: Q.t0.adding(seconds: 3))
        #expect(shorter?.health.pausedUntil == Q.t0.adding(seconds: 20))
        // A success while paused (a request already out) keeps the pause.
        let success = HealthTransition.after(webhook.health, attempt: Q.attempt(success: true), now: Q.t0.adding(seconds: 2), probeInterval: 30, earliestScheduled: nil)
        #expect(success?.health.pausedUntil == Q.t0.adding(seconds: 20) && success?.health.consecutiveFailures == 0)
    }
}
