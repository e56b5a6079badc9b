import Foundation
import HooklineCore

/// Plain requests from the load generator straight to the receiver, no Hookline: the machine's
/// HTTP baseline the bench's ratios are read against.
struct PlainHTTP {
    var rate: Double
    /// CPU per request, in microseconds.
    var receiverCPU: Double
    var loadCPU: Double
    var roundTrips: RoundTrips
}

/// Round trips as the load generator saw them: from a request's first byte sent to its answer's
/// last byte read.
struct RoundTrips {
    var p50Milliseconds: Double
    var p99Milliseconds: Double

    var text: String { String(format: "p50 %.1f ms, p99 %.1f ms", p50Milliseconds, p99Milliseconds) }
}

extension RoundTrips {
    /// From a load generator's result.
    init(_ load: JSONValue) {
        self.init(
            p50Milliseconds: Double(load["round_trip_p50_us"]?.integerValue ?? 0) / 1000,
            p99Milliseconds: Double(load["round_trip_p99_us"]?.integerValue ?? 0) / 1000)
    }
}

extension Bench {
    /// A paced run of plain requests: so many a second, for so long, over so many connections.
    struct Pace {
        var rate: Double
        var seconds: Double
        var concurrency: Int
    }

    /// As fast as they are answered (`rawSeconds`, `concurrency` connections), or at `pace`.
    func plainHTTP(_ executable: String, receiver: Child, receiverURL: String, pace: Pace? = nil) async throws -> PlainHTTP {
        let shape =
            pace.map { ["--rate", "\($0.rate)", "--seconds", "\($0.seconds)", "--concurrency", "\($0.concurrency)"] }
            ?? ["--seconds", "\(rawSeconds)", "--concurrency", "\(concurrency)"]
        let receiverBefore = receiver.cpuSeconds()
        let raw = try await Self.load(executable, ["raw", "--url", "\(receiverURL)/raw"] + shape).result
        let requests = Double(raw["requests"]?.integerValue ?? 0)
        let perRequest = 1e6 / max(1, requests)
        return PlainHTTP(
            rate: requests / (raw["seconds"]?.numberValue ?? 1), receiverCPU: (receiver.cpuSeconds() - receiverBefore) * perRequest,
            loadCPU: (raw["cpu_seconds"]?.numberValue ?? 0) * perRequest, roundTrips: RoundTrips(raw))
    }
}
