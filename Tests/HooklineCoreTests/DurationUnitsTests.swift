import Testing
@testable import HooklineCore

@Suite struct DurationUnitsTests {
    /// Truncated toward zero in every unit, across the second boundary and below zero, as the
    /// attempt records, the liveness cut-off and the connection deadlines need.
    @Test func wholeUnitsTruncateTowardZero() {
        let duration = Duration.seconds(2) + .nanoseconds(345_678_901)
        #expect(duration.wholeMilliseconds == 2_345)
        #expect(duration.wholeMicroseconds == 2_345_678)
        #expect(duration.wholeNanoseconds == 2_345_678_901)
        #expect(duration.fractionalSeconds == 2.345678901)
        #expect(Duration.nanoseconds(999_999).wholeMilliseconds == 0)
        #expect((Duration.zero - .milliseconds(1500)).wholeMilliseconds == -1_500)
        #expect(Timestamp(millisecondsSince1970: 10_000).adding(duration: .milliseconds(2_500)).millisecondsSince1970 == 12_500)
        #expect(WorkerLiveness(silenceLimit: .seconds(30)).silentBefore(Timestamp(millisecondsSince1970: 100_000)).millisecondsSince1970 == 70_000)
    }
}
