/// Plain requests from the load generator straight to the receiver, no Hookline: the machine's
/// HTTP baseline the bench's ratios are read against.
struct PlainHTTP {
    var rate: Double
    /// CPU per request, in microseconds.
    var receiverCPU: Double
    var loadCPU: Double
}

extension Bench {
    /// As fast as they are answered (`rawSeconds`, `concurrency` connections), or at `pace`
    /// requests a second for the steady run's seconds.
    func plainHTTP(_ executable: String, receiver: Child, receiverURL: String, pace: Double? = nil) async throws -> PlainHTTP {
        let shape =
            pace.map { ["--rate", "\($0)", "--seconds", "\(steadySeconds)", "--concurrency", "4"] }
            ?? ["--seconds", "\(rawSeconds)", "--concurrency", "\(concurrency)"]
        let receiverBefore = receiver.cpuSeconds()
        let raw = try await Self.load(executable, ["raw", "--url", "\(receiverURL)/raw"] + shape).result
        let requests = Double(raw["requests"]?.integerValue ?? 0)
        let perRequest = 1e6 / max(1, requests)
        return PlainHTTP(
            rate: requests / (raw["seconds"]?.numberValue ?? 1), receiverCPU: (receiver.cpuSeconds() - receiverBefore) * perRequest,
            loadCPU: (raw["cpu_seconds"]?.numberValue ?? 0) * perRequest)
    }
}
