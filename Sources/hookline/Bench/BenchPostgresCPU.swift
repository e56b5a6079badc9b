import ArgumentParser

/// Prints the CPU seconds PostgreSQL's processes on this machine have used so far, counted as the
/// bench counts them, so that `scripts/profile` measures postgres by the same rule.
struct BenchPostgresCPU: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-postgres-cpu", abstract: "CPU seconds used so far by PostgreSQL's processes (used by scripts/profile).", shouldDisplay: false)

    func run() {
        print(Bench.postgresCPUSeconds())
    }
}
