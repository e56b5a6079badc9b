import Foundation
import HooklineProcesses
import HooklineTestSupport
import Testing
@testable import HooklineStore

#if canImport(Glibc)
import Glibc
#endif

/// `hookline bench` when a run cannot go on: it ends with a message and stops every process it
/// started, instead of leaving them running or waiting for deliveries that cannot come; and when
/// the bench itself is killed, what it started ends too.
@Suite struct BenchCommandTests {
    typealias Started = ProcessTable.Entry

    /// A SQLite-only bench whose load of `load` (`raw` or `calls`) lasts long enough to be seen
    /// on a loaded machine; the other load is short.
    static func bench(lasting load: String) throws -> ServeCommandTests.ServerProcess {
        try ServeCommandTests.ServerProcess(arguments: [
            "bench", "--runs", "1", "--raw-seconds", load == "raw" ? "120" : "0.5", "--events", load == "calls" ? "100000" : "100", "--concurrency", "4",
        ])
    }

    /// Watches `bench` until it ends, gathering every child it starts, and kills (SIGKILL) the
    /// first process `victim` picks from its live children once it picks one. Answers every child
    /// seen; the test fails when none was picked. Whatever still runs at the deadline is killed,
    /// and never a later process given the pid of a child that ended.
    static func watch(_ bench: ServeCommandTests.ServerProcess, victim: (Set<Started>) -> pid_t?) async throws -> Set<Started> {
        var seen: Set<Started> = []
        var killed = false
        // Generous: a loaded two-core machine; the bench ends at once once its child is gone.
        let deadline = ContinuousClock.now + .seconds(400)
        while bench.process.isRunning, ContinuousClock.now < deadline {
            let live = ProcessTable.children(of: bench.process.processIdentifier)
            seen.formUnion(live)
            if !killed, let target = victim(Set(live)) {
                kill(target, SIGKILL)
                killed = true
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(killed, "nothing to kill: \(bench.text)")
        #expect(!bench.process.isRunning, "the bench still runs: \(bench.text)")
        if bench.process.isRunning {
            kill(bench.process.processIdentifier, SIGKILL)
            for child in seen { ProcessTable.send(SIGKILL, to: child) }
        }
        return seen
    }

    /// Kills the child whose command starts with `name` once a load of `load` runs.
    static func child(_ name: String, during load: String) -> (Set<Started>) -> pid_t? {
        { seen in seen.contains { $0.command.hasPrefix("bench-load \(load)") } ? seen.first { $0.command.hasPrefix(name) }?.pid : nil }
    }

    /// Fails unless every child ends soon; kills what did not, so a failing run leaves nothing.
    static func expectAllStopped(_ children: Set<Started>) async throws {
        defer { for child in children { ProcessTable.send(SIGKILL, to: child) } }
        try await eventually(timeout: .seconds(30), "every child stopped") { children.allSatisfy { !ProcessTable.isAlive($0) } } onTimeout: {
            children.filter { ProcessTable.isAlive($0) }.map(\.command).joined(separator: "; ")
        }
    }

    @Test func aBenchWhoseServerEndsFailsAtOnceAndStopsTheRest() async throws {
        let bench = try Self.bench(lasting: "calls")
        let children = try await Self.watch(bench, victim: Self.child("serve", during: "calls"))
        #expect(bench.process.terminationStatus != 0)
        // The load sees it first, or the wait for its deliveries does.
        try await eventually("the message") {
            bench.text.contains("the load generator stopped at a request that got no answer: POST http://127.0.0.1:")
                || bench.text.contains("`hookline serve` was killed by signal 9")
        }
        try await Self.expectAllStopped(children)
    }

    @Test func aBenchWhoseReceiverEndsStopsItsServer() async throws {
        let bench = try Self.bench(lasting: "raw")
        let children = try await Self.watch(bench, victim: Self.child("bench-receiver", during: "raw"))
        #expect(bench.process.terminationStatus != 0)
        #expect(children.contains { $0.command.hasPrefix("serve") })
        try await Self.expectAllStopped(children)
    }

    /// Killed, the bench runs none of its own code: its children see their standard input end.
    @Test func aKilledBenchLeavesNoProcessBehind() async throws {
        let bench = try Self.bench(lasting: "calls")
        let benchID = bench.process.processIdentifier
        let children = try await Self.watch(bench) { seen in seen.contains { $0.command.hasPrefix("bench-load calls") } ? benchID : nil }
        #expect(bench.process.terminationReason == .uncaughtSignal && bench.process.terminationStatus == SIGKILL)
        #expect(["serve", "bench-receiver", "bench-load"].allSatisfy { name in children.contains { $0.command.hasPrefix(name) } })
        try await Self.expectAllStopped(children)
    }

    /// No load runs while a fresh server drains the backlog: the wait for its deliveries is what
    /// sees it end. A small backlog sent by two connections: the suite runs beside it.
    @Test func aBenchWhoseDrainingServerEndsSaysSoAtOnce() async throws {
        let bench = try ServeCommandTests.ServerProcess(arguments: [
            "bench", "--runs", "1", "--raw-seconds", "0.5", "--events", "100", "--latency-rate", "50", "--latency-seconds", "1", "--steady-rate", "20",
            "--steady-seconds", "1", "--fanout-webhooks", "2", "--fanout-events", "5", "--backlog", "10000", "--concurrency", "2",
        ])
        var listeningSince: ContinuousClock.Instant?
        let children = try await Self.watch(bench) { seen in
            guard let draining = seen.first(where: { $0.command.hasPrefix("serve") && $0.command.contains("backlog.sqlite") && !$0.command.contains("--no-workers") })
            else { return nil }
            if listeningSince == nil, !ProcessTable.listeningPorts(of: draining.pid).isEmpty { listeningSince = .now }
            // A second after it listens the bench has seen it start (it looks every 25 ms) and waits
            // for deliveries that take longer to drain. On a machine too busy for that, the bench's
            // start of it sees it end instead, and says the same.
            guard let since = listeningSince, ContinuousClock.now - since > .seconds(1) else { return nil }
            return draining.pid
        }
        #expect(bench.process.terminationStatus != 0)
        try await eventually("the message") { bench.text.contains("`hookline serve` was killed by signal 9") }
        try await Self.expectAllStopped(children)
    }

    /// On PostgreSQL both topologies are up together: a worker of the split one that ends, while
    /// the other still delivers, ends the bench with a message; every process it started stops,
    /// and neither topology's schema is left in the database.
    @Test func aPostgresBenchWhoseWorkerEndsStopsEverythingAndLeavesNoSchema() async throws {
        let database = try await TestScratch.postgresDatabase()
        let bench = try ServeCommandTests.ServerProcess(arguments: [
            "bench", "--runs", "1", "--raw-seconds", "0.5", "--events", "300", "--latency-rate", "50", "--latency-seconds", "1", "--steady-rate", "20",
            "--steady-seconds", "1", "--fanout-webhooks", "2", "--fanout-events", "5", "--backlog", "100", "--concurrency", "4", "--db", database,
        ])
        let children = try await Self.watch(bench) { seen in
            // Once the PostgreSQL runs load calls, with both topologies up.
            guard seen.contains(where: { $0.command.hasPrefix("bench-load calls") && $0.command.contains("--prefix p") }) else { return nil }
            return seen.first { $0.command.hasPrefix("serve") && $0.command.contains("--role worker") }?.pid
        }
        #expect(bench.process.terminationStatus != 0)
        try await eventually("the message") { bench.text.contains("`hookline serve` was killed by signal 9") }
        try await Self.expectAllStopped(children)
        let store = try PostgresStore(location: try PostgresLocation(url: database), maximumConnections: 1)
        let left = try await store.rows("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'hookline\\_bench\\_%'").map { try $0.column("nspname", as: String.self) }
        #expect(left.isEmpty, "\(left)")
    }
}
