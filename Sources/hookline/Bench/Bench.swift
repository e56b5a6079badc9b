import ArgumentParser
import AsyncHTTPClient
import Foundation
import HooklineCore
import HooklineStore
import NIOCore
import Synchronization

/// `hookline bench`: Hookline under load on this machine, with the receiver and the load
/// generator in processes of their own, printed as one table.
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure Hookline on this machine (build with -c release).",
        discussion: "Starts a loopback receiver, a Hookline server on a fresh SQLite file, and a load generator, each in its own process.")

    @Option(help: "Runs of the raw, end-to-end and fan-out measures; the table shows each one's median and range.") var runs = 3
    @Option(help: "Seconds of the raw loopback baseline.") var rawSeconds = 3.0
    @Option(help: "Events sent as fast as possible for the end-to-end rate.") var events = 20_000
    @Option(help: "Offered load, events per second, for the latency run.") var latencyRate = 1000.0
    @Option(help: "Seconds of the latency run.") var latencySeconds = 10.0
    @Option(help: "Offered load, events per second, of the steady run: what an event costs when nothing batches.") var steadyRate = 100.0
    @Option(help: "Seconds of the steady run.") var steadySeconds = 10.0
    @Option(help: "Webhooks each fan-out event goes to.") var fanoutWebhooks = 100
    @Option(help: "Events of the fan-out run.") var fanoutEvents = 200
    @Option(help: "Deliveries in the backlog that is drained.") var backlog = 50_000
    @Option(help: "Load generator connections.") var concurrency = 64
    @Option(name: .customLong("db"), help: "A PostgreSQL database (postgres://user:password@host:port/database) to add its rows: end to end with one process, and with an api and two workers, each in a schema of its own.")
    var postgres: String?

    static let adminKey = "bench-admin-key"

    func validate() throws {
        guard runs >= 1 else { throw ValidationError("--runs must be at least 1") }
        guard rawSeconds > 0, latencySeconds > 0, latencyRate > 0, steadySeconds > 0, steadyRate > 0 else {
            throw ValidationError("--raw-seconds, --latency-seconds, --latency-rate, --steady-seconds and --steady-rate must be positive")
        }
        if let postgres {
            do { _ = try PostgresLocation(url: postgres) } catch { throw ValidationError("--db: \(error)") }
        }
        guard events > 0, fanoutWebhooks > 0, fanoutEvents > 0, backlog > 0, concurrency > 0 else {
            throw ValidationError("--events, --fanout-webhooks, --fanout-events, --backlog and --concurrency must be positive")
        }
    }

    /// The table as it is measured: each row said when it is known, all printed at the end.
    final class Report {
        var rows: [(String, String)] = []
        var targets: [Target] = []
        var peakRSS = 0

        func add(_ name: String, _ value: String) {
            rows.append((name, value))
            say("  " + name.padding(toLength: max(56, name.count + 2), withPad: " ", startingAt: 0) + value)
        }
    }

    func run() async throws {
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().path
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hookline-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let report = Report()
        if let postgres {
            // Each PostgreSQL run ends with a checkpoint: a user who may not make one learns it
            // before the SQLite runs, not after them.
            try await Self.checkpoint(try PostgresStore(location: try PostgresLocation(url: postgres), maximumConnections: 1))
        }

        say("Starting the receiver…")
        let receiver = try Child(executable, ["bench-receiver"])
        defer { receiver.stop() }
        let receiverPort = try await receiver.port(after: "receiver listening on port ")
        let receiverURL = "http://127.0.0.1:\(receiverPort)"

        let server = try await Server.start(executable, database: directory.appendingPathComponent("e2e.sqlite").path)
        defer { server.child.stop() }
        let key = try await server.account()
        _ = try await server.webhook(key: key, url: "\(receiverURL)/e2e", triggers: ["call.begin"], body: #"{"id": "%callid%", "t": "%session_id%"}"#)
        let burst = try await endToEnd(executable, server: server, key: key, receiver: receiver, receiverURL: receiverURL, report: report)
        if let postgres {
            try await postgresRows(postgres, executable: executable, receiver: receiver, receiverURL: receiverURL, sqliteRate: burst.rate, report: report)
        }
        try await latency(executable, server: server, key: key, receiver: receiver, receiverURL: receiverURL, report: report)
        try await steady(executable, server: server, key: key, receiver: receiver, receiverURL: receiverURL, burst: burst, report: report)
        try await fanout(executable, server: server, receiver: receiver, receiverURL: receiverURL, report: report)
        try await lives(executable, server: server, receiverURL: receiverURL, report: report)
        try await server.stop()
        try await drain(executable, directory: directory, receiver: receiver, receiverURL: receiverURL, report: report)
        report.add("peak RSS of the Hookline process, all runs", "\(Self.whole(Double(report.peakRSS) / 1024)) MB")

        say("\n| measure | result |\n|---|---|")
        for (name, value) in report.rows { say("| \(name) | \(value) |") }
        say("\nmachine: \(ProcessInfo.processInfo.activeProcessorCount) cores, \(Self.cpuModel()), SQLite (WAL, synchronous=FULL)")
        if postgres != nil { say("PostgreSQL CPU per event: every Hookline process and every postgres process on this machine, with its exited backends") }
        if runs > 1 { say("raw, ingest, end-to-end and fan-out: median of \(runs) runs [lowest–highest]") }
        report.printTargets()
    }

    /// What the burst measured, for the rows that compare with it.
    struct Burst {
        /// The raw runs' medians.
        var raw: PlainHTTP
        var rate: Double
        /// Hookline's CPU per event, in microseconds.
        var hooklineCPU: Double
    }

    private func endToEnd(_ executable: String, server: Server, key: String, receiver: Child, receiverURL: String, report: Report) async throws -> Burst {
        // 1–3. The loopback baseline (the same client straight to the receiver), then end to end
        // (events in as fast as they are accepted, deliveries out), in turns: each end-to-end run
        // is compared with the raw run just before it, on a machine whose speed drifts.
        var rawRates: [Double] = [], ingestRates: [Double] = [], e2eRates: [Double] = [], shares: [Double] = []
        // CPU per event end to end, in microseconds: all three share this machine's cores.
        var hooklineCPU: [Double] = [], loadCPU: [Double] = [], receiverCPU: [Double] = []
        var rawReceiverCPU: [Double] = [], rawLoadCPU: [Double] = [], rawRoundTrips: [RoundTrips] = []
        var accepted = 0
        for run in 0..<runs {
            let raw = try await plainHTTP(executable, receiver: receiver, receiverURL: receiverURL)
            rawRates.append(raw.rate)
            rawReceiverCPU.append(raw.receiverCPU)
            rawLoadCPU.append(raw.loadCPU)
            rawRoundTrips.append(raw.roundTrips)
            try await LocalAPI.post("\(receiverURL)/reset")
            let (serverBefore, receiverBefore) = (server.child.cpuSeconds(), receiver.cpuSeconds())
            let ingest: JSONValue
            (ingest, accepted) = try await Self.load(executable, [
                "calls", "--url", server.url, "--key", key, "--count", "\(events)", "--concurrency", "\(concurrency)", "--prefix", "e\(run)-",
            ])
            ingestRates.append(Double(accepted) / (ingest["seconds"]?.numberValue ?? 1))
            let e2e = try await Self.waitForDeliveries(receiverURL, count: accepted, from: server)
            e2eRates.append(Double(accepted) / (Double((e2e["last_ns"]?.integerValue ?? 0) - (ingest["start_ns"]?.integerValue ?? 0)) / 1e9))
            shares.append(100 * e2eRates[run] / rawRates[run])
            let perEvent = 1e6 / Double(max(1, accepted))
            hooklineCPU.append((server.child.cpuSeconds() - serverBefore) * perEvent)
            receiverCPU.append((receiver.cpuSeconds() - receiverBefore) * perEvent)
            loadCPU.append((ingest["cpu_seconds"]?.numberValue ?? 0) * perEvent)
            report.peakRSS = max(report.peakRSS, server.peakRSS())
        }
        let roundTrips = RoundTrips(
            p50Milliseconds: Self.medianValue(rawRoundTrips.map(\.p50Milliseconds)), p99Milliseconds: Self.medianValue(rawRoundTrips.map(\.p99Milliseconds)))
        report.add("raw loopback POST rate (no Hookline)", "\(Self.median(rawRates)) req/s, round trip \(roundTrips.text)")
        report.add("ingest rate (POST /v1/calls, 1 webhook)", "\(Self.median(ingestRates)) events/s")
        report.add("end-to-end delivered rate (\(accepted) events)", "\(Self.median(e2eRates)) events/s (\(Self.median(shares, unit: " %")) of raw)")
        report.add(
            "CPU per event: Hookline; load generator; receiver",
            "\(Self.median(hooklineCPU, unit: " µs")); \(Self.median(loadCPU, unit: " µs")); \(Self.median(receiverCPU, unit: " µs"))")

        let ratios = zip(hooklineCPU, zip(loadCPU, receiverCPU)).map { $0 / max(1, $1.0 + $1.1) }
        report.target("end to end, SQLite ÷ raw loopback rate", Self.medianValue(shares), .percent, .atLeast(30))
        report.target("CPU per event: Hookline ÷ (load generator + receiver)", Self.medianValue(ratios), .ratio, .atMost(1.5))
        return Burst(
            raw: PlainHTTP(
                rate: Self.medianValue(rawRates), receiverCPU: Self.medianValue(rawReceiverCPU), loadCPU: Self.medianValue(rawLoadCPU), roundTrips: roundTrips),
            rate: Self.medianValue(e2eRates), hooklineCPU: Self.medianValue(hooklineCPU))
    }

    private func latency(_ executable: String, server: Server, key: String, receiver: Child, receiverURL: String, report: Report) async throws {
        // 4. Latency at a fixed offered load.
        try await LocalAPI.post("\(receiverURL)/reset")
        let cpuBefore = server.child.cpuSeconds()
        let (paced, pacedAccepted) = try await Self.load(executable, [
            "calls", "--url", server.url, "--key", key, "--rate", "\(latencyRate)", "--seconds", "\(latencySeconds)",
            "--concurrency", "\(concurrency)", "--prefix", "l",
        ])
        let latency = try await Self.waitForDeliveries(receiverURL, count: pacedAccepted, from: server)
        let cpu = (server.child.cpuSeconds() - cpuBefore) * 1e6 / Double(max(1, pacedAccepted))
        report.add(
            "ingest→delivery latency at \(Int(latencyRate)) events/s",
            Self.latencyText(latency) + String(format: ", Hookline CPU %.0f µs per event; events answered ", cpu) + RoundTrips(paced).text)
        report.target("p99 latency at \(Int(latencyRate)) events/s, SQLite", Double(latency["p99_us"]?.integerValue ?? 0) / 1000, .milliseconds, .atMost(15))
        // An event's way is a request answered by Hookline, then one Hookline sends: the round
        // trips of plain requests at the same pace are what the two of them take without it.
        let plain = try await plainHTTP(
            executable, receiver: receiver, receiverURL: receiverURL, pace: Pace(rate: latencyRate, seconds: latencySeconds, concurrency: concurrency))
        report.add("plain HTTP at \(Int(latencyRate)) requests/s (no Hookline), round trip", plain.roundTrips.text)
        report.peakRSS = max(report.peakRSS, server.peakRSS())
        let aloneRate = Double(pacedAccepted) / (Double((latency["last_ns"]?.integerValue ?? 0) - (paced["start_ns"]?.integerValue ?? 0)) / 1e9)

        // Isolation: the same offered load, with a webhook whose receiver never answers beside it.
        let isolationKey = try await server.account()
        _ = try await server.webhook(key: isolationKey, url: "\(receiverURL)/isolated", triggers: ["call.begin"], body: #"{"id": "%callid%", "t": "%session_id%"}"#)
        _ = try await server.webhook(key: isolationKey, url: "\(receiverURL)/hang/isolated", triggers: ["call.begin"], body: #"{"id": "%callid%"}"#, maxInFlight: 8)
        try await LocalAPI.post("\(receiverURL)/reset")
        let (isolated, isolatedAccepted) = try await Self.load(executable, [
            "calls", "--url", server.url, "--key", isolationKey, "--rate", "\(latencyRate)", "--seconds", "\(latencySeconds)",
            "--concurrency", "\(concurrency)", "--prefix", "i",
        ])
        let isolatedStats = try await Self.waitForDeliveries(receiverURL, count: isolatedAccepted, from: server)
        let isolatedRate = Double(isolatedAccepted) / (Double((isolatedStats["last_ns"]?.integerValue ?? 0) - (isolated["start_ns"]?.integerValue ?? 0)) / 1e9)
        let isolatedP99 = String(format: "%.1f", Double(isolatedStats["p99_us"]?.integerValue ?? 0) / 1000)
        report.add(
            "healthy webhook beside a hanging one, \(Int(latencyRate)) events/s",
            "\(Int(isolatedRate)) deliveries/s vs \(Int(aloneRate)) alone (\(String(format: "%+.1f", 100 * (isolatedRate / aloneRate - 1))) %), p99 \(isolatedP99) ms")
        report.peakRSS = max(report.peakRSS, server.peakRSS())

    }

    /// "p50 …, p90 …, p99 …, max …" of the receiver's latency figures.
    static func latencyText(_ stats: JSONValue) -> String {
        func ms(_ key: String) -> String { String(format: "%.1f", Double(stats[key]?.integerValue ?? 0) / 1000) }
        return "p50 \(ms("p50_us")) ms, p90 \(ms("p90_us")) ms, p99 \(ms("p99_us")) ms, max \(ms("max_us")) ms"
    }

    private func fanout(_ executable: String, server: Server, receiver: Child, receiverURL: String, report: Report) async throws {
        // 5. Fan-out: each event to many webhooks, each run compared with a raw run just before it
        // (the host's speed drifts in the minutes since the first raw runs).
        let fanoutKey = try await server.account()
        for index in 0..<fanoutWebhooks {
            _ = try await server.webhook(key: fanoutKey, url: "\(receiverURL)/fanout/\(index)", triggers: ["lead.created"], body: #"{"id": "%lead_id%", "t": "%promo_code%"}"#)
        }
        var fanoutRates: [Double] = [], fanoutCPU: [Double] = [], shares: [Double] = []
        for run in 0..<runs {
            let raw = try await plainHTTP(executable, receiver: receiver, receiverURL: receiverURL)
            try await LocalAPI.post("\(receiverURL)/reset")
            let serverBefore = server.child.cpuSeconds()
            let (fanout, fanoutAccepted) = try await Self.load(executable, [
                "leads", "--url", server.url, "--key", fanoutKey, "--count", "\(fanoutEvents)", "--concurrency", "8", "--prefix", "f\(run)-",
            ])
            let fanoutStats = try await Self.waitForDeliveries(receiverURL, count: fanoutAccepted * fanoutWebhooks, from: server)
            let fanoutSeconds = Double((fanoutStats["last_ns"]?.integerValue ?? 0) - (fanout["start_ns"]?.integerValue ?? 0)) / 1e9
            fanoutRates.append(Double(fanoutAccepted * fanoutWebhooks) / fanoutSeconds)
            shares.append(100 * fanoutRates[run] / raw.rate)
            fanoutCPU.append((server.child.cpuSeconds() - serverBefore) * 1e6 / Double(max(1, fanoutAccepted * fanoutWebhooks)))
            report.peakRSS = max(report.peakRSS, server.peakRSS())
        }
        report.add(
            "fan-out (1 event × \(fanoutWebhooks) webhooks)",
            "\(Self.median(fanoutRates)) deliveries/s (\(Self.median(shares, unit: " %")) of the raw run before each), Hookline CPU \(Self.median(fanoutCPU, unit: " µs")) per delivery")
        report.target("fan-out ÷ raw loopback rate", Self.medianValue(shares), .percent, .atLeast(50))
        report.target("fan-out: Hookline CPU per delivery", Self.medianValue(fanoutCPU), .microseconds, .atMost(150))
    }

    private func drain(_ executable: String, directory: URL, receiver: Child, receiverURL: String, report: Report) async throws {
        // 6. A backlog: accepted by an API-only process, drained by a fresh one.
        let backlogDatabase = directory.appendingPathComponent("backlog.sqlite").path
        let accepting = try await Server.start(executable, database: backlogDatabase, extra: ["--no-workers"])
        defer { accepting.child.stop() }
        let backlogKey = try await accepting.account()
        _ = try await accepting.webhook(key: backlogKey, url: "\(receiverURL)/backlog", triggers: ["call.begin"], body: #"{"id": "%callid%"}"#)
        let (_, backlogAccepted) = try await Self.load(executable, ["calls", "--url", accepting.url, "--key", backlogKey, "--count", "\(backlog)", "--concurrency", "\(concurrency)", "--prefix", "d"])
        try await accepting.stop()
        // Compared with a raw run just before it, as each end-to-end and fan-out run is.
        let raw = try await plainHTTP(executable, receiver: receiver, receiverURL: receiverURL)
        try await LocalAPI.post("\(receiverURL)/reset")
        let drainStart = wallNanos()
        let server = try await Server.start(executable, database: backlogDatabase)
        defer { server.child.stop() }
        let drained = try await Self.waitForDeliveries(receiverURL, count: backlogAccepted, from: server)
        let drainSeconds = Double((drained["last_ns"]?.integerValue ?? 0) - drainStart) / 1e9
        let drainRSS = server.peakRSS()
        let drainRate = Double(backlogAccepted) / drainSeconds
        let share = 100 * drainRate / raw.rate
        report.add(
            "backlog drain (\(backlogAccepted) deliveries, from process start)",
            "\(Self.whole(drainRate)) deliveries/s (\(Self.whole(share)) % of the raw run before it, \(Self.whole(raw.rate)) req/s), peak RSS \(Self.whole(Double(drainRSS) / 1024)) MB")
        report.peakRSS = max(report.peakRSS, drainRSS)
        report.target("backlog drain ÷ raw loopback rate", share, .percent, .atLeast(40))
        report.target("peak RSS draining \(backlogAccepted) deliveries (goal at 1,000,000)", Double(drainRSS) / 1024, .megabytes, .atMost(150))
        try await server.stop()
    }

    static func medianValue(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return 0 }
        return sorted.count.isMultiple(of: 2) ? (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2 : sorted[sorted.count / 2]
    }

    /// "median [lowest–highest]" of a measure's runs, or the one value.
    static func median(_ values: [Double], unit: String = "") -> String {
        let sorted = values.sorted()
        guard let first = sorted.first, let last = sorted.last else { return "–" }
        let median = "\(whole(medianValue(values)))\(unit)"
        return sorted.count > 1 ? "\(median) [\(whole(first))–\(whole(last))\(unit)]" : median
    }

    /// A measure in whole units, as both tables print it, so one quantity reads the same in each.
    static func whole(_ value: Double) -> String {
        String(format: "%.0f", value)
    }

    /// Runs the load generator to its end: its result line, and how many requests were accepted.
    static func load(_ executable: String, _ arguments: [String]) async throws -> (result: JSONValue, accepted: Int) {
        let result = try await Child.runToEnd(executable, ["bench-load"] + arguments)
        if let unanswered = result["unanswered"]?.stringValue {
            throw CommandFailure("the load generator stopped at a request that got no answer: \(unanswered)")
        }
        return (result, Int(result["requests"]?.integerValue ?? 0) - Int(result["failures"]?.integerValue ?? 0))
    }

    static func cpuModel() -> String {
        guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
            let line = info.split(separator: "\n").first(where: { $0.hasPrefix("model name") })
        else { return "unknown CPU" }
        return line.split(separator: ":", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespaces) } ?? "unknown CPU"
    }

    /// A `hookline serve` process on a database of its own.
    struct Server {
        let child: Child
        let url: String

        static func start(_ executable: String, database: String, extra: [String] = []) async throws -> Server {
            let child = try Child(
                executable, ["serve", "--db", database, "--port", "0", "--log-level", "warning"] + extra,
                environment: ["HOOKLINE_ADMIN_KEY": Bench.adminKey, "HOOKLINE_ALLOW_PRIVATE_DESTINATIONS": "1", "HOOKLINE_HOST": "127.0.0.1"])
            // The port comes from the log line at warning level: ask the kernel instead. One that
            // never listens is stopped here: no caller holds it to stop it.
            let port: Int
            do { port = try await child.listeningPort() } catch {
                child.stop()
                throw error
            }
            return Server(child: child, url: "http://127.0.0.1:\(port)")
        }

        func account() async throws -> String {
            let answer = try await LocalAPI.post("\(url)/v1/accounts", key: Bench.adminKey, body: #"{"name": "bench"}"#)
            guard let key = answer["api_key"]?.stringValue else { throw CommandFailure("no api_key in \(answer.jsonText)") }
            return key
        }

        func webhook(key: String, url receiver: String, triggers: [String], body: String, maxInFlight: Int = 64) async throws -> String {
            let webhook: JSONValue = [
                "name": "bench", "url": .string(receiver), "triggers": .array(triggers.map(JSONValue.string)), "template": ["format": "json", "body": .string(body)],
                "max_in_flight": .integer(Int64(maxInFlight)),
            ]
            return try await LocalAPI.post("\(url)/v1/webhooks", key: key, body: webhook.jsonText)["id"]?.stringValue ?? ""
        }

        /// VmHWM of the server process, in KiB.
        func peakRSS() -> Int { child.peakRSS() }

        func stop() async throws { try await child.terminate() }
    }
}
