import Foundation

/// The speed targets, each a ratio or a bound within one run, so that a reader on any machine can
/// compare: rates against the raw loopback rate of the same run, CPU against the load generator's
/// and the receiver's, PostgreSQL against SQLite.
extension Bench {
    enum Goal {
        case atLeast(Double)
        case atMost(Double)

        func isMet(by value: Double) -> Bool {
            switch self {
            case .atLeast(let bound): value >= bound
            case .atMost(let bound): value <= bound
            }
        }

        func text(_ format: (Double) -> String) -> String {
            switch self {
            case .atLeast(let bound): "≥ " + format(bound)
            case .atMost(let bound): "≤ " + format(bound)
            }
        }
    }

    struct Target {
        var measure: String
        var value: String
        var goal: String
        var met: Bool
    }

    enum Unit {
        case percent, ratio, microseconds, milliseconds, megabytes

        func format(_ value: Double) -> String {
            switch self {
            case .percent: "\(Bench.whole(value)) %"
            case .ratio: String(format: "%.2f", value)
            case .microseconds: "\(Bench.whole(value)) µs"
            case .milliseconds: String(format: "%.1f ms", value)
            case .megabytes: "\(Bench.whole(value)) MB"
            }
        }
    }
}

extension Bench.Report {
    func target(_ measure: String, _ value: Double, _ unit: Bench.Unit, _ goal: Bench.Goal) {
        targets.append(Bench.Target(measure: measure, value: unit.format(value), goal: goal.text(unit.format), met: goal.isMet(by: value)))
    }

    func printTargets() {
        guard !targets.isEmpty else { return }
        say("\n| target (same run) | this run | goal | met |\n|---|---|---|---|")
        for target in targets { say("| \(target.measure) | \(target.value) | \(target.goal) | \(target.met ? "yes" : "**no**") |") }
    }
}
