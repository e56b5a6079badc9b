import ArgumentParser
import AsyncHTTPClient
import Foundation
import HooklineCore
import HooklineProcesses
import HooklineStore

/// The PostgreSQL rows of `hookline bench --postgres URL`: end to end with one `all` process and
/// with one `api` and two `worker` processes, each on a schema of its own in that database.
extension Bench {
    struct Topology {
        var name: String
        /// `serve` arguments of each process; the first serves the API.
        var processes: [[String]]
    }

    static let topologies = [
        Topology(name: "one process (--role all)", processes: [[]]),
        Topology(name: "api + 2 workers", processes: [["--role", "api"], ["--role", "worker", "--no-migrate"], ["--role", "worker", "--no-migrate"]]),
    ]

    /// A topology's processes, up on their schema, with the account and webhook its runs use.
    struct RunningTopology {
        var topology: Topology
        var api: Server
        var key: String
        var meter: PostgresMeter.Sources

        func stop() {
            for child in meter.children { child.stop() }
        }
    }

    /// Runs both topologies; `sqliteRate` is the median end-to-end rate on SQLite of this run.
    /// Both are up together, each on its schema, and their end-to-end runs alternate: a host
    /// whose speed drifts during the bench moves both alike, and their ratio is taken run by run.
    func postgresRows(_ url: String, executable: String, receiver: Child, receiverURL: String, sqliteRate: Double, report: Report) async throws {
        var running: [RunningTopology] = []
        var locations: [PostgresLocation] = []
        // Whether the runs went to their end or failed, every process is stopped and every
        // schema dropped below.
        let ending: Result<Void, any Error>
        do {
            for topology in Self.topologies {
                let location = try Self.benchLocation(url)
                locations.append(location)
                say("PostgreSQL, \(topology.name), schema \(location.schema ?? "")…")
                running.append(try await startTopology(topology, location: location, executable: executable, receiverURL: receiverURL))
            }
            let measured = try await alternatingRuns(running, executable: executable, receiver: receiver, receiverURL: receiverURL, report: report)
            // Idle, the other topology's processes would still heartbeat through the paced runs.
            for other in running.dropFirst() { other.stop() }
            let one = running[0]
            let burstCPU = Self.medianValue(measured[0].map(\.cpu))
            try await postgresLatency(api: one.api, key: one.key, meter: one.meter, executable: executable, receiverURL: receiverURL, report: report)
            try await postgresSteady(
                api: one.api, key: one.key, meter: one.meter, executable: executable, receiverURL: receiverURL, burstCPU: burstCPU, report: report)
            try await postgresLives(api: one.api, key: one.key, meter: one.meter, executable: executable, receiverURL: receiverURL, report: report)
            let oneRate = Self.medianValue(measured[0].map(\.rate))
            let splitRatios = zip(measured[0], measured[1]).map { 100 * $1.cpu / $0.cpu }
            report.add("PostgreSQL one process ÷ SQLite, end to end", String(format: "%.0f %%", 100 * oneRate / sqliteRate))
            report.add("CPU per event, api + 2 workers ÷ one process", Self.median(splitRatios, unit: " %") + ", each run beside the one-process run before it")
            report.target("PostgreSQL one process ÷ SQLite, end to end", 100 * oneRate / sqliteRate, .percent, .atLeast(50))
            report.target("PostgreSQL one process: CPU per event (Hookline + postgres)", burstCPU, .microseconds, .atMost(1200))
            report.target("PostgreSQL CPU per event, api + 2 workers ÷ one process", Self.medianValue(splitRatios), .percent, .atMost(115))
            ending = .success(())
        } catch {
            ending = .failure(error)
        }
        for topology in running { topology.stop() }
        for location in locations { await Self.dropSchema(location) }
        try ending.get()
    }

    /// Starts a topology's processes on `location`, with an account and its webhook; what it
    /// started is stopped if it cannot finish.
    private func startTopology(_ topology: Topology, location: PostgresLocation, executable: String, receiverURL: String) async throws -> RunningTopology {
        var children: [Child] = []
        do {
            let api = try await Server.start(executable, database: location.connectionURL, extra: topology.processes[0])
            children.append(api.child)
            var metricsURLs = [api.url]
            for arguments in topology.processes.dropFirst() {
                let worker = try Child(
                    executable, ["serve", "--db", location.connectionURL, "--port", "0", "--log-level", "warning"] + arguments,
                    environment: ["HOOKLINE_ALLOW_PRIVATE_DESTINATIONS": "1", "HOOKLINE_HOST": "127.0.0.1"])
                children.append(worker)
                metricsURLs.append("http://127.0.0.1:\(try await worker.listeningPort())")
            }
            let key = try await api.account()
            _ = try await api.webhook(key: key, url: "\(receiverURL)/pg", triggers: ["call.begin"], body: #"{"id": "%callid%", "t": "%session_id%"}"#)
            let meter = PostgresMeter.Sources(children: children, metricsURLs: metricsURLs, statistics: try PostgresStore(location: location, maximumConnections: 1))
            return RunningTopology(topology: topology, api: api, key: key, meter: meter)
        } catch {
            for child in children { child.stop() }
            throw error
        }
    }

    /// The end-to-end runs of every topology, alternating, with their statements per event. The
    /// first of each runs on its fresh schema, whose plans are made on empty tables, and is shown
    /// apart. Each run ends with its upkeep on its CPU, a `VACUUM (ANALYZE)` of the schema's
    /// tables and a checkpoint: it pays for the dead rows and dirty pages it made, the next run
    /// meets vacuumed tables with plans made at their size, and neither autovacuum (off on these
    /// tables) nor the checkpointer's timer lands in one run and not the next.
    private func alternatingRuns(
        _ running: [RunningTopology], executable: String, receiver: Child, receiverURL: String, report: Report
    ) async throws -> [[PostgresRun]] {
        var firsts: [PostgresRun] = []
        for topology in running {
            try await topology.meter.statistics.turnOffAutovacuum()
            try await Self.checkpoint(topology.meter.statistics)
            firsts.append(try await postgresRun("p-first-", on: topology, executable: executable, receiver: receiver, receiverURL: receiverURL))
        }
        var measured = Array(repeating: [PostgresRun](), count: running.count)
        for run in 0..<runs {
            for (index, topology) in running.enumerated() {
                measured[index].append(try await postgresRun("p\(run)-", on: topology, executable: executable, receiver: receiver, receiverURL: receiverURL))
            }
        }
        for (topology, (first, runs)) in zip(running, zip(firsts, measured)) {
            report.add("PostgreSQL end to end, \(topology.topology.name) (\(runs.last?.accepted ?? 0) events)", Self.endToEndText(first: first, runs: runs))
        }
        return measured
    }

    private static func endToEndText(first: PostgresRun, runs: [PostgresRun]) -> String {
        let activity = runs.map(\.activity)
        return "\(median(runs.map(\.rate))) events/s (\(median(runs.map(\.share), unit: " %")) of raw), "
            + "CPU \(median(runs.map(\.cpu), unit: " µs")) per event (postgres \(median(runs.map(\.serverCPU), unit: " µs")), "
            + "its closing vacuum and checkpoint \(median(runs.map(\.upkeepCPU), unit: " µs"))), "
            + String(format: "%.1f statements per event, ", medianValue(runs.map(\.statements)))
            + "\(runs.map(\.duplicates).reduce(first.duplicates, +)) duplicates; "
            + "checkpoints during each run, its closing one included: \(activity.map { "\($0.checkpoints)" }.joined(separator: ", ")), "
            + "buffers the backends wrote out themselves \(activity.map { "\($0.backendBufferWrites)" }.joined(separator: ", ")); "
            + String(format: "first run on the fresh schema, its plans made on empty tables: %.0f events/s, CPU %.0f µs per event", first.rate, first.cpu)
    }

    /// What one end-to-end run on PostgreSQL measured.
    struct PostgresRun {
        var accepted: Int
        var rate: Double
        /// Of the plain-HTTP rate measured just before it, in per cent.
        var share: Double
        /// Per event, in microseconds: every process, postgres alone, the closing upkeep.
        var cpu: Double
        var serverCPU: Double
        var upkeepCPU: Double
        var statements: Double
        var activity: PostgresServerActivity
        var duplicates: Int
    }

    /// One run: the plain-HTTP rate, then `events` calls as fast as they are accepted, each
    /// delivered, then its upkeep.
    private func postgresRun(_ prefix: String, on topology: RunningTopology, executable: String, receiver: Child, receiverURL: String) async throws -> PostgresRun {
        let (api, key, meter) = (topology.api, topology.key, topology.meter)
        let rawRate = try await plainHTTP(executable, receiver: receiver, receiverURL: receiverURL).rate
        try await LocalAPI.post("\(receiverURL)/reset")
        let before = try await PostgresMeter.read(meter)
        let (ingest, accepted) = try await Self.load(executable, [
            "calls", "--url", api.url, "--key", key, "--count", "\(events)", "--concurrency", "\(concurrency)", "--prefix", prefix,
        ])
        let delivered = try await Self.waitForDeliveries(receiverURL, count: accepted, from: api, workers: meter.children)
        let beforeUpkeep = try await PostgresMeter.read(meter)
        try await Self.upkeep(meter.statistics)
        var after = try await PostgresMeter.read(meter)
        // The checkpointer counts a checkpoint a moment after it answers: up to 5 s.
        var looks = 0
        while after.server.checkpoints == beforeUpkeep.server.checkpoints, looks < 100 {
            try await Task.sleep(for: .milliseconds(50))
            after = try await PostgresMeter.read(meter)
            looks += 1
        }
        let cost = after.cost(since: before, events: accepted)
        let rate = Double(accepted) / (Double((delivered["last_ns"]?.integerValue ?? 0) - (ingest["start_ns"]?.integerValue ?? 0)) / 1e9)
        // A moment for a duplicate still on its way.
        try await Task.sleep(for: .milliseconds(500))
        let settled = try await Self.stats(receiverURL)
        return PostgresRun(
            accepted: accepted, rate: rate, share: 100 * rate / rawRate, cpu: cost.cpu, serverCPU: cost.postgresCPU,
            upkeepCPU: after.cost(since: beforeUpkeep, events: accepted).cpu, statements: cost.statements,
            activity: after.server - before.server, duplicates: Int((settled["count"]?.integerValue ?? 0) - (settled["distinct"]?.integerValue ?? 0)))
    }

    /// Latency at the offered load, with what the events cost there: at this pace nothing batches
    /// as in a burst, and the share of the machine that cost takes is where the waits come from.
    private func postgresLatency(api: Server, key: String, meter: PostgresMeter.Sources, executable: String, receiverURL: String, report: Report) async throws {
        try await LocalAPI.post("\(receiverURL)/reset")
        let before = try await PostgresMeter.read(meter)
        let (paced, accepted) = try await Self.load(executable, [
            "calls", "--url", api.url, "--key", key, "--rate", "\(latencyRate)", "--seconds", "\(latencySeconds)", "--concurrency", "\(concurrency)", "--prefix", "pl",
        ])
        let latency = try await Self.waitForDeliveries(receiverURL, count: accepted, from: api, workers: meter.children)
        let cost = try await PostgresMeter.read(meter).cost(since: before, events: accepted)
        // Over the run's own time, from its first event sent to its last delivery.
        let seconds = Double((latency["last_ns"]?.integerValue ?? 0) - (paced["start_ns"]?.integerValue ?? 0)) / 1e9
        let share = 100 * cost.cpu * Double(accepted) / (1e6 * max(seconds, 1e-3) * Double(ProcessInfo.processInfo.activeProcessorCount))
        report.add(
            "ingest→delivery latency at \(Int(latencyRate)) events/s, PostgreSQL one process",
            Self.latencyText(latency)
                + String(format: ", CPU %.0f µs per event (postgres %.0f µs): %.0f %% of the machine's cores at this pace; events answered ", cost.cpu, cost.postgresCPU, share)
                + RoundTrips(paced).text)
        report.target("p99 latency at \(Int(latencyRate)) events/s, PostgreSQL", Double(latency["p99_us"]?.integerValue ?? 0) / 1000, .milliseconds, .atMost(40))
    }

    /// A quiet hour on PostgreSQL: at a steady low rate each event's ingest and each attempt's
    /// record is a transaction of its own, with nothing to batch.
    private func postgresSteady(
        api: Server, key: String, meter: PostgresMeter.Sources, executable: String, receiverURL: String, burstCPU: Double, report: Report
    ) async throws {
        try await LocalAPI.post("\(receiverURL)/reset")
        let before = try await PostgresMeter.read(meter)
        let (load, accepted) = try await Self.load(executable, [
            "calls", "--url", api.url, "--key", key, "--rate", "\(steadyRate)", "--seconds", "\(steadySeconds)", "--concurrency", "4", "--prefix", "ps",
        ])
        let delivered = try await Self.waitForDeliveries(receiverURL, count: accepted, from: api, workers: meter.children)
        let cost = try await PostgresMeter.read(meter).cost(since: before, events: accepted)
        report.add(
            "steady \(Int(steadyRate)) events/s for \(Int(steadySeconds)) s, PostgreSQL one process",
            String(format: "CPU %.0f µs per event (postgres %.0f µs, %.1f× the burst's), %.1f statements per event, ", cost.cpu, cost.postgresCPU,
                cost.cpu / max(1, burstCPU), cost.statements) + Self.latencyText(delivered) + "; events answered " + RoundTrips(load).text)
    }

    /// What follows each run, on its CPU: a `VACUUM (ANALYZE)` of the schema's tables (the dead
    /// rows the run made, and plans made again at the tables' size) and a checkpoint (the pages it
    /// dirtied).
    static func upkeep(_ store: PostgresStore) async throws {
        try await store.vacuumAndAnalyzeTables()
        try await checkpoint(store)
    }

    /// A checkpoint of the whole server, which its user may be refused.
    static func checkpoint(_ store: PostgresStore) async throws {
        do {
            try await store.checkpoint()
        } catch {
            throw CommandFailure(
                "PostgreSQL refused CHECKPOINT (\(String(reflecting: error))): the bench's database user needs the pg_checkpoint role or superuser")
        }
    }

    /// The statements the processes behind `urls` have sent to PostgreSQL, from their metrics.
    static func statementsSent(_ urls: [String]) async throws -> Int {
        var total = 0
        for url in urls {
            let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: "\(url)/metrics"), timeout: .seconds(10))
            let text = String(buffer: try await response.body.collect(upTo: 1 << 22))
            let line = text.split(separator: "\n").first { $0.hasPrefix("hookline_store_statements_sent ") }
            total += line.flatMap { Double($0.split(separator: " ").last ?? "") }.map { Int($0) } ?? 0
        }
        return total
    }

    /// Removes a topology's schema once its processes stopped: its rows (some 70,000 events and
    /// their deliveries) are the bench's alone, and the database it was pointed at keeps none.
    static func dropSchema(_ location: PostgresLocation) async {
        do {
            try await PostgresStore(location: location, maximumConnections: 1).dropSchema()
        } catch {
            say("could not drop the schema \(location.schema ?? ""): \(error); drop it by hand")
        }
    }

    /// The URL with a fresh schema of its own: runs never see each other's rows.
    static func benchLocation(_ url: String) throws -> PostgresLocation {
        var location = try PostgresLocation(url: url)
        location.schema = "hookline_bench_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(12)
        return location
    }

    /// CPU time used so far by the PostgreSQL server's processes on this machine, with what its
    /// exited backends used (counted in their parent's children time).
    static func postgresCPUSeconds() -> Double {
        ProcessTable.processes(named: "postgres").map { ProcessTable.cpuSeconds(of: $0, exitedChildren: true) }.reduce(0, +)
    }
}
