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
    ///   - attempts: (start, milliseconds, succeeded, count): `count` attempts that began at
    ///     `start` (or in its hour) and took that long, in any order.
    ///   - hours: how many whole hours, the last one holding `now`.
    public init(attempts: [(start: Timestamp, milliseconds: Int, succeeded: Bool, count: Int)], now: Timestamp, hours count: Int = 24) {
        let hour: Int64 = 3_600_000
        let lastStart = now.millisecondsSince1970 - now.millisecondsSince1970 % hour
        let firstStart = lastStart - Int64(count - 1) * hour
        var durations = Array(repeating: [(milliseconds: Int, count: Int)](), count: count)
        var succeeded = Array(repeating: 0, count: count)
        var failed = Array(repeating: 0, count: count)
        for attempt in attempts {
            let offset = attempt.start.millisecondsSince1970 - firstStart
            guard offset >= 0 else { continue }
            let index = Int(offset / hour)
            guard index < count else { continue }
            durations[index].append((attempt.milliseconds, attempt.count))
            if attempt.succeeded { succeeded[index] += attempt.count } else { failed[index] += attempt.count }
        }
        hours = (0..<count).map { index in
            let sorted = durations[index].sorted { $0.milliseconds < $1.milliseconds }
            return Hour(
                start: Timestamp(millisecondsSince1970: firstStart + Int64(index) * hour), succeeded: succeeded[index], failed: failed[index],
                p50: Self.percentile(sorted, 0.50), p99: Self.percentile(sorted, 0.99))
        }
    }

    /// Nearest rank: the smallest value with at least `fraction` of the values at or below it.
    static func percentile(_ sorted: [(milliseconds: Int, count: Int)], _ fraction: Double) -> Int? {
        let total = sorted.reduce(0) { $0 + $1.count }
        guard total > 0 else { return nil }
        let rank = max(1, Int((fraction * Double(total)).rounded(.up)))
        var seen = 0
        for value in sorted {
            seen += value.count
            if seen >= rank { return value.milliseconds }
        }
        return sorted.last?.milliseconds
    }

    public var total: (succeeded: Int, failed: Int) {
        hours.reduce((0, 0)) { ($0.0 + $1.succeeded, $0.1 + $1.failed) }
    }
}
