import Foundation
import HooklineCore

/// A quiet hour: call tracking is mostly a low, steady rate, where nothing batches and each event
/// pays every fixed cost (a commit, its fsync, the wake-ups between threads) alone.
extension Bench {
    func steady(_ executable: String, server: Server, key: String, receiver: Child, receiverURL: String, burst: Burst, report: Report) async throws {
        // The process's own cost while nothing happens, so the per-event figure can be read apart from it.
        let idleSeconds = 2.0
        let idleBefore = server.child.cpuSeconds()
        try await Task.sleep(for: .seconds(idleSeconds))
        let idleShare = (server.child.cpuSeconds() - idleBefore) / idleSeconds

        try await LocalAPI.post("\(receiverURL)/reset")
        let cpuBefore = server.child.cpuSeconds()
        let (load, accepted) = try await Self.load(executable, [
            "calls", "--url", server.url, "--key", key, "--rate", "\(steadyRate)", "--seconds", "\(steadySeconds)", "--concurrency", "4", "--prefix", "s",
        ])
        let delivered = try await Self.waitForDeliveries(receiverURL, count: accepted, from: server)
        let perEvent = (server.child.cpuSeconds() - cpuBefore) * 1e6 / Double(max(1, accepted))
        report.add(
            "steady \(Int(steadyRate)) events/s for \(Int(steadySeconds)) s (SQLite)",
            String(format: "Hookline CPU %.0f µs per event (idle: %.1f %% of a core), ", perEvent, 100 * idleShare) + Self.latencyText(delivered)
                + "; events answered " + RoundTrips(load).text)
        let paced = try await plainHTTPAtSteadyPace(executable, receiver: receiver, receiverURL: receiverURL, burst: burst.raw, report: report)
        // An event is a request served (as the receiver serves one) and a request sent (as the load
        // generator sends one) with the same libraries: what is left is Hookline's own.
        let floor = paced.receiverCPU + paced.loadCPU
        report.add(
            "steady: Hookline's CPU per event above a plain request in and out at the same pace",
            String(format: "%.0f µs (%.0f − %.0f µs); 1.5× the burst's cost is %.0f µs", perEvent - floor, perEvent, floor, 1.5 * burst.hooklineCPU))
        report.target("CPU per event at a steady \(Int(steadyRate)) events/s ÷ in the burst", perEvent / max(1, burst.hooklineCPU), .ratio, .atMost(1.5))
    }

    /// The same pace of plain requests straight to the receiver, no Hookline: what one HTTP request
    /// costs each side when nothing batches, against its cost in the raw burst. Each event of the
    /// steady run is one request into Hookline and one out of it, so this is the floor its own
    /// ratio is read against.
    private func plainHTTPAtSteadyPace(_ executable: String, receiver: Child, receiverURL: String, burst: PlainHTTP, report: Report) async throws -> PlainHTTP {
        let paced = try await plainHTTP(executable, receiver: receiver, receiverURL: receiverURL, pace: Pace(rate: steadyRate, seconds: steadySeconds, concurrency: 4))
        try await LocalAPI.post("\(receiverURL)/reset")
        report.add(
            "plain HTTP at \(Int(steadyRate)) requests/s (no Hookline), CPU per request",
            String(
                format: "receiver %.0f µs (%.1f× its burst's %.0f µs); load generator %.0f µs (%.1f× its burst's %.0f µs); round trip ", paced.receiverCPU,
                paced.receiverCPU / max(1, burst.receiverCPU), burst.receiverCPU, paced.loadCPU, paced.loadCPU / max(1, burst.loadCPU), burst.loadCPU)
                + paced.roundTrips.text)
        return paced
    }
}
