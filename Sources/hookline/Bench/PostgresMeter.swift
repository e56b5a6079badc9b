import HooklineStore

/// What the Hookline processes and PostgreSQL had spent at one moment: their CPU, the statements
/// sent and what the server wrote, read before and after a load.
struct PostgresMeter {
    /// Where a meter reads: the Hookline processes of a topology, their metrics, and a store on
    /// the same server for its statistics.
    struct Sources {
        var children: [Child]
        var metricsURLs: [String]
        var statistics: PostgresStore
    }

    var hooklineCPU: Double
    var postgresCPU: Double
    var statements: Int
    var server: PostgresServerActivity

    static func read(_ sources: Sources) async throws -> PostgresMeter {
        // A process that ended would answer its metrics with a refused connection, which says
        // nothing of which one ended or how.
        try Child.failIfOneEnded(sources.children, context: "a process of the topology ended")
        return PostgresMeter(
            hooklineCPU: sources.children.map { $0.cpuSeconds() }.reduce(0, +), postgresCPU: Bench.postgresCPUSeconds(),
            statements: try await Bench.statementsSent(sources.metricsURLs), server: try await sources.statistics.serverActivity())
    }

    /// Per event since `before`: CPU of every process (µs), of PostgreSQL alone (µs), statements.
    func cost(since before: PostgresMeter, events: Int) -> (cpu: Double, postgresCPU: Double, statements: Double) {
        let count = Double(max(1, events))
        let postgres = (postgresCPU - before.postgresCPU) * 1e6 / count
        return ((hooklineCPU - before.hooklineCPU) * 1e6 / count + postgres, postgres, Double(statements - before.statements) / count)
    }
}
