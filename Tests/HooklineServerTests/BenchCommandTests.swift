import Foundation
import HooklineProcesses
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `hookline bench` when a run cannot go on: it ends with a message and stops every process it
/// started, instead of leaving them running or waiting for deliveries that cannot come.
@Suite struct BenchCommandTests {
    /// A process the bench started, from /proc.
    struct Started: Hashable {
        var pid: Int32
        var command: String
    }

    /// The bench's children running now.
    static func children(of parent: Int32) -> [Started] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry -> Started? in
            guard let pid = Int32(entry), let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                let end = stat.lastIndex(of: ")")
            else { return nil }
            // After the name: the state, then the parent's pid.
            let fields = stat[stat.index(after: end)...].split(separator: " ")
            guard fields.count > 1, fields[0] != "Z", Int32(fields[1]) == parent,
                let cmdline = try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/cmdline"))
            else { return nil }
            let arguments = cmdline.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
            return Started(pid: pid, command: arguments.dropFirst().joined(separator: " "))
        }
    }

    /// Whether `pid` is a live process (not a zombie waiting to be reaped).
    static func isRunning(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let end = stat.lastIndex(of: ")") else { return false }
        return stat[stat.index(after: end)...].split(separator: " ").first != "Z"
    }

    /// Starts a SQLite-only bench, kills its child whose command starts with `victim` once a load
    /// of `load` (`raw` or `calls`) runs, and answers the bench (ended) and every child it had.
    static func benchLosing(_ victim: String, during load: String) async throws -> (bench: ServeCommandTests.ServerProcess, children: Set<Started>) {
        // The load that is cut short lasts long enough to be seen on a loaded machine; the
        // other one is short.
        let bench = try ServeCommandTests.ServerProcess(arguments: [
            "bench", "--runs", "1", "--raw-seconds", load == "raw" ? "120" : "0.5", "--events", load == "calls" ? "100000" : "100", "--concurrency", "4",
        ])
        var seen: Set<Started> = []
        var killed = false
        // Generous: a loaded two-core machine; the bench ends at once once its child is gone.
        let deadline = ContinuousClock.now + .seconds(240)
        while bench.process.isRunning, ContinuousClock.now < deadline {
            seen.formUnion(children(of: bench.process.processIdentifier))
            if !killed, seen.contains(where: { $0.command.hasPrefix("bench-load \(load)") }),
                let target = seen.first(where: { $0.command.hasPrefix(victim) })
            {
                kill(target.pid, SIGKILL)
                killed = true
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(killed, "no \(victim) while the load ran: \(bench.text)")
        #expect(!bench.process.isRunning, "the bench still runs: \(bench.text)")
        if bench.process.isRunning {
            for process in [bench.process.processIdentifier] + seen.map(\.pid) { kill(process, SIGKILL) }
        }
        return (bench, seen)
    }

    @Test func aBenchWhoseServerEndsFailsAtOnceAndStopsTheRest() async throws {
        let (bench, children) = try await Self.benchLosing("serve", during: "calls")
        #expect(bench.process.terminationStatus != 0)
        // The load sees it first, or the wait for its deliveries does.
        try await eventually("the message") {
            bench.text.contains("the load generator stopped at a request that got no answer: POST http://127.0.0.1:")
                || bench.text.contains("`hookline serve` was killed by signal 9")
        }
        try await eventually(timeout: .seconds(30), "every child stopped") { children.allSatisfy { !Self.isRunning($0.pid) } }
    }

    /// No load runs while a fresh server drains the backlog: the wait for its deliveries is what
    /// sees it end. A small backlog sent by two connections: the suite runs beside it.
    @Test func aBenchWhoseDrainingServerEndsSaysSoAtOnce() async throws {
        let bench = try ServeCommandTests.ServerProcess(arguments: [
            "bench", "--runs", "1", "--raw-seconds", "0.5", "--events", "100", "--latency-rate", "50", "--latency-seconds", "1", "--steady-rate", "20",
            "--steady-seconds", "1", "--fanout-webhooks", "2", "--fanout-events", "5", "--backlog", "10000", "--concurrency", "2",
        ])
        var seen: Set<Started> = []
        var listeningSince: ContinuousClock.Instant?
        var killed = false
        let deadline = ContinuousClock.now + .seconds(400)
        while bench.process.isRunning, ContinuousClock.now < deadline {
            seen.formUnion(Self.children(of: bench.process.processIdentifier))
            let draining = seen.first { $0.command.hasPrefix("serve") && $0.command.contains("backlog.sqlite") && !$0.command.contains("--no-workers") }
            if !killed, let draining, listeningSince == nil, !ChildProcess.listeningPorts(of: draining.pid).isEmpty { listeningSince = .now }
            // A second after it listens the bench has seen it start (it looks every 25 ms) and waits
            // for deliveries that take longer to drain. On a machine too busy for that, the bench's
            // start of it sees it end instead, and says the same.
            if !killed, let draining, let since = listeningSince, ContinuousClock.now - since > .seconds(1) {
                kill(draining.pid, SIGKILL)
                killed = true
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(killed, "no draining server: \(bench.text)")
        if bench.process.isRunning {
            for process in [bench.process.processIdentifier] + seen.map(\.pid) { kill(process, SIGKILL) }
        }
        #expect(bench.process.terminationStatus != 0)
        try await eventually("the message") { bench.text.contains("`hookline serve` was killed by signal 9") }
        let children = seen
        try await eventually(timeout: .seconds(30), "every child stopped") { children.allSatisfy { !Self.isRunning($0.pid) } }
    }

    @Test func aBenchWhoseReceiverEndsStopsItsServer() async throws {
        let (bench, children) = try await Self.benchLosing("bench-receiver", during: "raw")
        #expect(bench.process.terminationStatus != 0)
        #expect(children.contains { $0.command.hasPrefix("serve") })
        try await eventually(timeout: .seconds(30), "every child stopped") { children.allSatisfy { !Self.isRunning($0.pid) } } onTimeout: {
            children.filter { Self.isRunning($0.pid) }.map(\.command).joined(separator: "; ")
        }
    }
}
