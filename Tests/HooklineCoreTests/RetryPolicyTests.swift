import Testing
@testable import HooklineCore

@Suite struct RetryPolicyTests {
    let start = Timestamp(millisecondsSince1970: 1_000_000)

    @Test func followsTheScheduleThenRepeatsTheLastDelay() {
        let policy = RetryPolicy.standard
        #expect((0..<10).map(policy.delay(afterFailedAttempts:)) == [0, 10, 60, 300, 900, 1800, 3600, 3600, 3600, 3600])
    }

    @Test func jitterStaysWithinTenPercent() {
        let policy = RetryPolicy.standard
        for unit in [0.0, 0.5, 0.999] {
            guard case .retry(let at) = policy.decide(afterFailedAttempts: 2, start: start, now: start, unit: unit) else {
                Issue.record("gave up")
                return
            }
            let delay = at.secondsSince1970 - start.secondsSince1970
            #expect(delay >= 54 && delay <= 66)
        }
    }

    @Test func keepsTryingForTheWholeMaximumAgeThenGivesUp() {
        let policy = RetryPolicy.standard
        let almost = start.adding(seconds: 3 * 86_400 - 1)
        #expect(policy.decide(afterFailedAttempts: 80, start: start, now: almost, unit: 0.5) != .giveUp)
        #expect(policy.decide(afterFailedAttempts: 81, start: start, now: start.adding(seconds: 3 * 86_400), unit: 0.5) == .giveUp)
    }

    @Test func theStandardScheduleTriesForAtLeastThreeDays() {
        // Worst case jitter shortens every delay by 10 %; count the tries needed to pass 3 days.
        var now = start
        var attempts = 0
        while case .retry(let at) = RetryPolicy.standard.decide(afterFailedAttempts: attempts + 1, start: start, now: now, unit: 0) {
            attempts += 1
            now = at
        }
        #expect(now.secondsSince1970 - start.secondsSince1970 >= 3 * 86_400)
        #expect(attempts > 60)
    }

    @Test(arguments: [
        (RetryPolicy(schedule: [], maximumAge: 10), "retry.schedule"),
        (RetryPolicy(schedule: [0, -1], maximumAge: 10), "retry.schedule[1]"),
        (RetryPolicy(schedule: [0, 9_999_999], maximumAge: 10), "retry.schedule[1]"),
        (RetryPolicy(schedule: [0], maximumAge: 0), "retry.max_age"),
        (RetryPolicy(schedule: [0], maximumAge: 365 * 86_400), "retry.max_age"),
    ])
    func refusesUnreasonablePolicies(policy: RetryPolicy, field: String) {
        #expect(throws: FieldError.self) { try policy.validated() }
        do { _ = try policy.validated() } catch { #expect(error.field == field) }
    }
}
