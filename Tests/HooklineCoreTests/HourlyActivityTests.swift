import HooklineCore
import Testing

@Suite struct HourlyActivityTests {
    @Test func attemptsFallInTheirHourWithTheirOutcomeAndDurations() {
        let hour: Int64 = 3_600_000
        let now = Timestamp(millisecondsSince1970: 100 * hour + 1_000)
        func at(_ hoursAgo: Int64, _ ms: Int, _ ok: Bool = true, count: Int = 1) -> (start: Timestamp, milliseconds: Int, succeeded: Bool, count: Int) {
            (Timestamp(millisecondsSince1970: now.millisecondsSince1970 - hoursAgo * hour), ms, ok, count)
        }
        var attempts = (1...100).map { at(0, $0) }
        attempts += [at(2, 40, false), at(2, 60), at(24, 5), at(-1, 5)]
        let activity = HourlyActivity(attempts: attempts, now: now)
        #expect(activity.hours.count == 24)
        #expect(activity.hours.last?.start == Timestamp(millisecondsSince1970: 100 * hour))
        let last = activity.hours[23]
        #expect(last.succeeded == 100 && last.failed == 0 && last.p50 == 50 && last.p99 == 99)
        let twoAgo = activity.hours[21]
        #expect(twoAgo.succeeded == 1 && twoAgo.failed == 1 && twoAgo.p50 == 40 && twoAgo.p99 == 60)
        #expect(activity.hours[0].succeeded == 0 && activity.hours[0].p50 == nil, "a day ago and the future are outside")
        #expect(activity.total.succeeded == 101 && activity.total.failed == 1)
        // Attempts counted together weigh as many: 98 at 10 ms and 2 at 900 ms.
        let grouped = HourlyActivity(attempts: [at(0, 900, count: 2), at(0, 10, count: 98)], now: now).hours[23]
        #expect(grouped.succeeded == 100 && grouped.p50 == 10 && grouped.p99 == 900)
    }
}
