import Foundation
import HooklineCore

/// Calls through their lives: each begins and, once its beginning is accepted, ends, as a tracker
/// reports them, so ends mix with other calls' beginnings. The other rows send beginnings only,
/// and an end costs more: it reads and locks its call, and its delivery waits behind the call's
/// earlier ones at the same webhook.
extension Bench {
    private static let livesBody = #"{"id": "%callid%", "t": "%session_id%"}"#

    /// Half the burst's count of calls, so that the requests are as many as the burst's.
    private var livesArguments: [String] {
        ["--count", "\(max(1, events / 2))", "--concurrency", "\(concurrency)"]
    }

    /// On SQLite, to a webhook for both on an account of its own.
    func lives(_ executable: String, server: Server, receiverURL: String, report: Report) async throws {
        let key = try await server.account()
        _ = try await server.webhook(key: key, url: "\(receiverURL)/lives", triggers: ["call.begin", "call.end"], body: Self.livesBody)
        try await LocalAPI.post("\(receiverURL)/reset")
        let before = server.child.cpuSeconds()
        let (load, accepted) = try await Self.load(executable, ["lives", "--url", server.url, "--key", key, "--prefix", "l-"] + livesArguments)
        let delivered = try await Self.waitForDeliveries(receiverURL, count: accepted, from: server)
        let cpu = (server.child.cpuSeconds() - before) * 1e6 / Double(max(1, accepted))
        report.peakRSS = max(report.peakRSS, server.peakRSS())
        report.add(
            "calls that end, SQLite (\(accepted) requests: each call begun, then ended)",
            String(format: "%.0f requests/s, Hookline CPU %.0f µs per request", Self.rate(accepted, sent: load, delivered: delivered), cpu))
    }

    /// On PostgreSQL's one process: its beginnings go to the topology's webhook, its ends to one
    /// for `call.end` added here, so each request is one delivery.
    func postgresLives(api: Server, key: String, meter: PostgresMeter.Sources, executable: String, receiverURL: String, report: Report) async throws {
        _ = try await api.webhook(key: key, url: "\(receiverURL)/pg-end", triggers: ["call.end"], body: Self.livesBody)
        try await LocalAPI.post("\(receiverURL)/reset")
        let before = try await PostgresMeter.read(meter)
        let (load, accepted) = try await Self.load(executable, ["lives", "--url", api.url, "--key", key, "--prefix", "pe"] + livesArguments)
        let delivered = try await Self.waitForDeliveries(receiverURL, count: accepted, from: api, workers: meter.children)
        let cost = try await PostgresMeter.read(meter).cost(since: before, events: accepted)
        report.add(
            "calls that end, PostgreSQL one process (\(accepted) requests: each call begun, then ended)",
            String(
                format: "%.0f requests/s, CPU %.0f µs per request (postgres %.0f µs), %.1f statements per request",
                Self.rate(accepted, sent: load, delivered: delivered), cost.cpu, cost.postgresCPU, cost.statements))
    }

    /// Requests per second from the first sent to the last delivery received.
    private static func rate(_ requests: Int, sent load: JSONValue, delivered: JSONValue) -> Double {
        Double(requests) / max(1e-3, Double((delivered["last_ns"]?.integerValue ?? 0) - (load["start_ns"]?.integerValue ?? 0)) / 1e9)
    }
}
