import Foundation
import HooklineCore

/// A quiet hour: call tracking is mostly a low, steady rate, where nothing batches and each event
/// pays every fixed cost (a commit, its fsync, the wake-ups between threads) alone.
extension Bench {
    func steady(_ executable: String, server: Server, key: String, receiverURL: String, burstCPU: Double, report: Report) async throws {
        // The process's own cost while nothing happens, so the per-event figure can be read apart from it.
        let idleSeconds = 2.0
        let idleBefore = server.child.cpuSeconds()
        try await Task.sleep(for: .seconds(idleSeconds))
        let idleShare = (server.child.cpuSeconds() - idleBefore) / idleSeconds

        try await LocalAPI.post("\(receiverURL)/reset")
        let cpuBefore = server.child.cpuSeconds()
        let (_, accepted) = try await Self.load(executable, [
            "calls", "--url", server.url, "--key", key, "--rate", "\(steadyRate)", "--seconds", "\(steadySeconds)", "--concurrency", "4", "--prefix", "s",
        ])
        let delivered = try await Self.waitForDeliveries(receiverURL, count: accepted, timeout: 120)
        let perEvent = (server.child.cpuSeconds() - cpuBefore) * 1e6 / Double(max(1, accepted))
        report.add(
            "steady \(Int(steadyRate)) events/s for \(Int(steadySeconds)) s (SQLite)",
            String(format: "Hookline CPU %.0f µs per event (idle: %.1f %% of a core), ", perEvent, 100 * idleShare) + Self.latencyText(delivered))
        report.target("CPU per event at a steady \(Int(steadyRate)) events/s ÷ in the burst", perEvent / max(1, burstCPU), .ratio, .atMost(1.5))
    }
}
