import ArgumentParser
import Foundation
import HooklineCore
import Histogram
import Hummingbird
import Logging
import Synchronization

/// The benchmark's receiver, in a process of its own: answers 200 to everything, counts, and
/// measures ingest-to-delivery latency from the send time the load generator put in each event.
struct BenchReceiver: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bench-receiver", abstract: "Benchmark receiver (used by bench).", shouldDisplay: false)

    @Option var port = 0

    final class Stats: Sendable {
        struct State {
            var count = 0
            /// Deliveries by their `webhook-id`: a second request with one is a duplicate.
            var ids = Set<String>()
            var firstNanos: Int64 = 0
            var lastNanos: Int64 = 0
            var latency = Histogram<UInt64>(highestTrackableValue: 600_000_000)  // microseconds
        }

        let state = Mutex(State())

        func record(sentNanos: Int64?, deliveryID: String?) {
            let now = wallNanos()
            state.withLock { state in
                state.count += 1
                if let deliveryID { state.ids.insert(deliveryID) }
                if state.firstNanos == 0 { state.firstNanos = now }
                state.lastNanos = now
                if let sentNanos, now > sentNanos { _ = state.latency.record(UInt64((now - sentNanos) / 1000)) }
            }
        }

        var json: JSONValue {
            state.withLock { state in
                [
                    "count": .integer(Int64(state.count)), "distinct": .integer(Int64(state.ids.count)), "first_ns": .integer(state.firstNanos), "last_ns": .integer(state.lastNanos),
                    "p50_us": .integer(Int64(state.latency.valueAtPercentile(50))), "p90_us": .integer(Int64(state.latency.valueAtPercentile(90))),
                    "p99_us": .integer(Int64(state.latency.valueAtPercentile(99))), "max_us": .integer(Int64(state.latency.max)),
                    "samples": .integer(Int64(state.latency.totalCount)),
                ]
            }
        }

        func reset() { state.withLock { $0 = State() } }
    }

    func run() async throws {
        let stats = Stats()
        let router = Router()
        router.get("stats") { _, _ in Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: stats.json.jsonText))) }
        router.post("reset") { _, _ in
            stats.reset()
            return Response(status: .ok)
        }
        // Never answers: a receiver that hangs, for the isolation run.
        router.post("hang/**") { _, _ in
            try await Task.sleep(for: .seconds(3600))
            return Response(status: .ok)
        }
        router.post("**") { request, _ in
            let body = try await request.body.collect(upTo: 1 << 20)
            // The load generator's send time travels in the `t` field of the rendered payload.
            let sent = (try? JSONParser.parse(body.readableBytesView))?["t"]?.stringValue.flatMap { Int64($0) }
            stats.record(sentNanos: sent, deliveryID: request.headers.first { $0.name.canonicalName == "webhook-id" }?.value)
            return Response(status: .ok)
        }
        var logger = Logger(label: "bench-receiver")
        logger.logLevel = .warning
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)),
            onServerRunning: { channel in
                // Unbuffered, so the parent reads it at once.
                FileHandle.standardOutput.write(Data("receiver listening on port \(channel.localAddress?.port ?? 0)\n".utf8))
            },
            logger: logger)
        try await app.runService()
    }
}
