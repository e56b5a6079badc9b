import HooklineCore
import Testing

/// A webhook's rate limit as a token bucket: a burst up to its size, then an even pace; the lease
/// takes no more than it allows, and the webhook is due when a token comes.
@Suite struct RateLimitTests {
    typealias Q = QueueRulesTests
    static let limit = RateLimit(requests: 4, seconds: 2)

    @Test func aFullBucketLetsABurstGoThenOneEveryIntervalNeverMoreThanItsSize() {
        var bucket = RateBucket.full
        #expect(Self.limit.allowance(bucket, now: Q.t0) == 4)
        bucket = Self.limit.spending(4, from: bucket, now: Q.t0)
        #expect(Self.limit.allowance(bucket, now: Q.t0) == 0)
        #expect(bucket.wait(at: Q.t0) == Q.t0.adding(seconds: 0.5), "a token every 2 s / 4")
        #expect(Self.limit.allowance(bucket, now: Q.t0.adding(seconds: 0.49)) == 0)
        #expect(Self.limit.allowance(bucket, now: Q.t0.adding(seconds: 0.5)) == 1)
        #expect(Self.limit.allowance(bucket, now: Q.t0.adding(seconds: 1.2)) == 2)
        #expect(Self.limit.allowance(bucket, now: Q.t0.adding(seconds: 3600)) == 4, "a quiet hour refills no more than its size")
        bucket = Self.limit.spending(1, from: bucket, now: Q.t0.adding(seconds: 1.2))
        #expect(Self.limit.allowance(bucket, now: Q.t0.adding(seconds: 1.2)) == 1)
        #expect(bucket.wait(at: Q.t0.adding(seconds: 1.2)) == nil, "a token is left: no wait")
        // A token left over a fraction: the next whole one comes in the rest of its interval.
        bucket = Self.limit.spending(1, from: bucket, now: Q.t0.adding(seconds: 1.2))
        #expect(bucket.wait(at: Q.t0.adding(seconds: 1.2)) == Q.t0.adding(seconds: 1.5))
    }

    @Test func theLeaseTakesNoMoreThanTheLimitAllowsAndTheWebhookIsDueWhenATokenComes() {
        #expect(LeasePolicy.take(health: .healthy, maxInFlight: 8, leasedRows: 0, inFlight: 0, allowance: 3, firstWaiting: Q.t0, now: Q.t0) == .due(limit: 3))
        #expect(LeasePolicy.take(health: .healthy, maxInFlight: 2, leasedRows: 0, inFlight: 0, allowance: 3, firstWaiting: Q.t0, now: Q.t0) == .due(limit: 2))
        #expect(LeasePolicy.take(health: .healthy, maxInFlight: 8, leasedRows: 0, inFlight: 0, allowance: 0, firstWaiting: Q.t0, now: Q.t0) == .nothing)
        #expect(LeasePolicy.take(health: Q.failing, maxInFlight: 8, leasedRows: 0, inFlight: 0, allowance: 0, firstWaiting: Q.t0, now: Q.t0.adding(seconds: 30)) == .nothing, "a probe spends a token too")
        let due = LeasePolicy.dueTime(
            health: .healthy, maxInFlight: 8, inFlight: 0, firstWaiting: Q.t0, firstExpiry: nil, rateWait: Q.t0.adding(seconds: 0.5), now: Q.t0)
        #expect(due == Q.t0.adding(seconds: 0.5))
        var limited = WebhookTroubleTests.webhook("w")
        limited.settings.rateLimit = Self.limit
        #expect(!IngestDelivery(retry: .standard, waitsBehindEarlier: false, now: Q.t0).mayLeaseAtOnce(limited), "its tokens are spent by the worker's lease alone")
        #expect(IngestDelivery(retry: .standard, waitsBehindEarlier: false, now: Q.t0).mayLeaseAtOnce(WebhookTroubleTests.webhook("w")))
    }
}
