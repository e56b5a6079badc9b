/// A webhook's last hours, hour by hour: attempts the receiver took and did not, and how long
/// they took (median and 99th percentile), from the store's attempt timings.
public struct HourlyActivity: Sendable, Equatable {
    public struct Hour: Sendable, Equatable {
        public var start: Timestamp
        public var succeeded: Int
        public var failed: Int
        /// Milliseconds; nil for an hour without attempts.
        public var p50: Int?
        public var p99: Int?
    }

    public var hours: [Hour]

    /// - Parameters:
    ///   - attempts: (start, milliseconds, succeeded) of each attempt, in any order.
    ///   - hours: how many whole hours, the last one holding `now`.
    public init(attempts: [(start: Timestamp, milliseconds: Int, succeeded: Bool)], now: Timestamp, hours count: Int = 24) {
        let hour: Int64 = 3_600_000
        let lastStart = now.millisecondsSince1970 - now.millisecondsSince1970 % hour
        let firstStart = lastStart - Int64(count - 1) * hour
        var durations = Array(repeating: [Int](), count: count)
        var succeeded = Array(repeating: 0, count: count)
        var failed = Array(repeating: 0, count: count)
        for attempt in attempts {
            let offset = attempt.start.millisecondsSince1970 - firstStart
            guard offset >= 0 else { continue }
            let index = Int(offset / hour)
            guard index < count else { continue }
            durations[index].append(attempt.milliseconds)
            if attempt.succeeded { succeeded[index] += 1 } else { failed[index] += 1 }
        }
        hours = (0..<count).map { index in
            let sorted = durations[index].sorted()
            return Hour(
                start: Timestamp(millisecondsSince1970: firstStart + Int64(index) * hour), succeeded: succeeded[index], failed: failed[index],
                p50: Self.percentile(sorted, 0.50), p99: Self.percentile(sorted, 0.99))
        }
    }

    /// Nearest rank: the smallest value with at least `fraction` of the values at or below it.
    static func percentile(_ sorted: [Int], _ fraction: Double) -> Int? {
        guard !sorted.isEmpty else { return nil }
        let rank = Int((fraction * Double(sorted.count)).rounded(.up))
        return sorted[max(0, min(sorted.count - 1, rank - 1))]
    }

    public var total: (succeeded: Int, failed: Int) {
        hours.reduce((0, 0)) { ($0.0 + $1.succeeded, $0.1 + $1.failed) }
    }
}
