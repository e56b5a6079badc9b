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

    struct PostgresResult {
        var rate: Double
        var cpuPerEvent: Double
    }

    /// Runs both topologies; `sqliteRate` is the median end-to-end rate on SQLite of this run.
    func postgresRows(_ url: String, executable: String, receiver: Child, receiverURL: String, sqliteRate: Double, report: Report) async throws {
        var results: [PostgresResult] = []
        for topology in Self.topologies {
            let location = try Self.benchLocation(url)
            say("PostgreSQL, \(topology.name), schema \(location.schema ?? "")…")
            // Whether the topology ran to its end or failed, its processes have stopped here.
            do {
                results.append(try await postgresTopology(topology, location: location, executable: executable, receiver: receiver, receiverURL: receiverURL, report: report))
            } catch {
                await Self.dropSchema(location)
                throw error
            }
            await Self.dropSchema(location)
        }
        if let one = results.first, let split = results.last {
            report.add("PostgreSQL one process ÷ SQLite, end to end", String(format: "%.0f %%", 100 * one.rate / sqliteRate))
            report.add("CPU per event, api + 2 workers ÷ one process", String(format: "%.0f %%", 100 * split.cpuPerEvent / one.cpuPerEvent))
            report.target("PostgreSQL one process ÷ SQLite, end to end", 100 * one.rate / sqliteRate, .percent, .atLeast(50))
            report.target("PostgreSQL one process: CPU per event (Hookline + postgres)", one.cpuPerEvent, .microseconds, .atMost(1200))
            report.target("PostgreSQL CPU per event, api + 2 workers ÷ one process", 100 * split.cpuPerEvent / one.cpuPerEvent, .percent, .atMost(115))
        }
    }

    /// One topology's processes on `location`, its end-to-end runs, and on one process its
    /// latency and steady runs; the processes are stopped however it ends.
    private func postgresTopology(
        _ topology: Topology, location: PostgresLocation, executable: String, receiver: Child, receiverURL: String, report: Report
    ) async throws -> PostgresResult {
        var children: [Child] = []
        defer { for child in children { child.stop() } }
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
        let result = try await postgresRuns(topology, api: api, key: key, meter: meter, executable: executable, receiver: receiver, receiverURL: receiverURL, report: report)
        if topology.processes.count == 1 {
            try await postgresLatency(api: api, key: key, meter: meter, executable: executable, receiverURL: receiverURL, report: report)
            try await postgresSteady(api: api, key: key, meter: meter, executable: executable, receiverURL: receiverURL, burstCPU: result.cpuPerEvent, report: report)
            try await postgresLives(api: api, key: key, meter: meter, executable: executable, receiverURL: receiverURL, report: report)
        }
        return result
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

    /// The end-to-end runs of one topology, with their statements per event. The first runs on
    /// the fresh schema, whose plans are made on empty tables, and is shown apart. Each run ends
    /// with its upkeep on its CPU, a `VACUUM (ANALYZE)` of the schema's tables and a checkpoint:
    /// it pays for the dead rows and dirty pages it made, the next run meets vacuumed tables with
    /// plans made at their size, and neither autovacuum (off on these tables) nor the
    /// checkpointer's timer lands in one run and not the next.
    private func postgresRuns(
        _ topology: Topology, api: Server, key: String, meter: PostgresMeter.Sources, executable: String, receiver: Child, receiverURL: String,
        report: Report
    ) async throws -> PostgresResult {
        try await meter.statistics.turnOffAutovacuum()
        try await Self.checkpoint(meter.statistics)
        let first = try await postgresRun("p-first-", api: api, key: key, meter: meter, executable: executable, receiver: receiver, receiverURL: receiverURL)
        var measured: [PostgresRun] = []
        for run in 0..<runs {
            measured.append(
                try await postgresRun("p\(run)-", api: api, key: key, meter: meter, executable: executable, receiver: receiver, receiverURL: receiverURL))
        }
        let activity = measured.map(\.activity)
        report.add(
            "PostgreSQL end to end, \(topology.name) (\(measured.last?.accepted ?? 0) events)",
            "\(Self.median(measured.map(\.rate))) events/s (\(Self.median(measured.map(\.share), unit: " %")) of raw), "
                + "CPU \(Self.median(measured.map(\.cpu), unit: " µs")) per event (postgres \(Self.median(measured.map(\.serverCPU), unit: " µs")), "
                + "its closing vacuum and checkpoint \(Self.median(measured.map(\.upkeepCPU), unit: " µs"))), "
                + String(format: "%.1f statements per event, ", Self.medianValue(measured.map(\.statements)))
                + "\(measured.map(\.duplicates).reduce(first.duplicates, +)) duplicates; "
                + "checkpoints during each run, its closing one included: \(activity.map { "\($0.checkpoints)" }.joined(separator: ", ")), "
                + "buffers the backends wrote out themselves \(activity.map { "\($0.backendBufferWrites)" }.joined(separator: ", ")); "
                + String(format: "first run on the fresh schema, its plans made on empty tables: %.0f events/s, CPU %.0f µs per event", first.rate, first.cpu))
        return PostgresResult(rate: Self.medianValue(measured.map(\.rate)), cpuPerEvent: Self.medianValue(measured.map(\.cpu)))
    }

    /// One run: the plain-HTTP rate, then `events` calls as fast as they are accepted, each
    /// delivered, then its upkeep.
    private func postgresRun(
        _ prefix: String, api: Server, key: String, meter: PostgresMeter.Sources, executable: String, receiver: Child, receiverURL: String
    ) async throws -> PostgresRun {
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
