import ArgumentParser
import AsyncHTTPClient
import Foundation
import HooklineCore
import HooklineProcesses
import Histogram
import NIOCore
import Synchronization

/// The benchmark's load generator, in a process of its own. Prints one JSON line of results.
struct BenchLoad: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bench-load", abstract: "Benchmark load generator (used by bench).", shouldDisplay: false)

    enum Mode: String, ExpressibleByArgument {
        /// POST a small JSON body straight to a URL (no Hookline): the loopback baseline.
        case raw
        /// POST calls (`/v1/calls`) to Hookline.
        case calls
        /// POST leads (`/v1/leads`) to Hookline.
        case leads
        /// Calls through their lives: each begins (`/v1/calls`) and, once accepted, ends
        /// (`/v1/calls/{id}/end`), so ends mix with other calls' beginnings as a tracker sends them.
        case lives
    }

    final class Counters: Sendable {
        let next = Atomic<Int>(0)
        let failures = Atomic<Int>(0)
        let completed = Atomic<Int>(0)
        /// The first request that got no answer at all: the load stops there, since what it
        /// measures is gone (a refused connection to a server that ended).
        let unanswered = Mutex<String?>(nil)
        /// From a request's first byte sent to its answer's last byte read, in microseconds.
        let roundTrips = Mutex(Histogram<UInt64>(highestTrackableValue: 60_000_000))
    }

    @Argument var mode: Mode
    @Option var url: String
    @Option var key = ""
    @Option var concurrency = 64
    /// Stop after this many requests (0: no limit).
    @Option var count = 0
    /// Stop after this many seconds (0: no limit).
    @Option var seconds = 0.0
    /// Requests per second (0: as fast as possible).
    @Option var rate = 0.0
    @Option var prefix = "b"
    /// Sends each request with an `Idempotency-Key` of its own, as a source's events arrive.
    @Flag var idempotencyKeys = false
    /// Calls come in on this tracking number, so each beginning is routed to its campaign.
    @Option var trackingNumber: String?

    /// The number goes into each request's JSON as it is: a phone number, nothing to escape.
    func validate() throws {
        if let number = trackingNumber, number.count > 32 || !number.allSatisfy({ "0123456789+-(). ".contains($0) }) || Campaign.normalizedNumber(number).isEmpty {
            throw ValidationError("--tracking-number must be a phone number of at most 32 characters (digits, spaces and + - ( ) .), not '\(number.prefix(40))'")
        }
    }

    func run() async throws {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = concurrency
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        let counters = Counters()
        let start = ContinuousClock.now
        let deadline = seconds > 0 ? start + .milliseconds(Int64(seconds * 1000)) : nil
        let startWall = wallNanos()
        let (mode, key, count, rate, prefix, keyed) = (self.mode, self.key, self.count, self.rate, self.prefix, self.idempotencyKeys)
        let tracking = trackingNumber.map { #", "tracking": "\#($0)""# } ?? ""
        let path =
            switch mode {
            case .raw: url
            case .calls, .lives: url + "/v1/calls"
            case .leads: url + "/v1/leads"
            }
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<concurrency {
                group.addTask {
                    while true {
                        let index = counters.next.add(1, ordering: .relaxed).oldValue
                        if count > 0, index >= count { return }
                        if let deadline, ContinuousClock.now >= deadline { return }
                        if counters.unanswered.withLock({ $0 != nil }) { return }
                        if rate > 0 {
                            // Paced: request `index` leaves at start + index / rate.
                            let due = start + .milliseconds(Int64(Double(index) * 1000 / rate))
                            if due > ContinuousClock.now { try? await Task.sleep(until: due) }
                        }
                        let sent = wallNanos()
                        let body: String =
                            switch mode {
                            case .raw: #"{"t": "\#(sent)"}"#
                            case .calls, .lives: #"{"callid": "\#(prefix)\#(index)", "session_id": "\#(sent)", "ani": "79990009911"\#(tracking)}"#
                            case .leads: #"{"lead_id": "\#(prefix)\#(index)", "promo_code": "\#(sent)", "lead_name": "Bench"}"#
                            }
                        guard await Self.post(body, to: path, key: key, idempotencyKey: keyed ? "\(prefix)\(index)" : nil, client: client, counters: counters),
                            mode == .lives
                        else { continue }
                        let ended = #"{"dialstatus": "ANSWER", "session_id": "\#(wallNanos())"}"#
                        _ = await Self.post(
                            ended, to: path + "/\(prefix)\(index)/end", key: key, idempotencyKey: keyed ? "\(prefix)\(index)-end" : nil, client: client,
                            counters: counters)
                    }
                }
            }
        }
        let elapsed = ContinuousClock.now - start
        let secondsTaken = elapsed.fractionalSeconds
        let result: JSONValue = [
            "requests": .integer(Int64(counters.completed.load(ordering: .relaxed))), "failures": .integer(Int64(counters.failures.load(ordering: .relaxed))),
            "seconds": .decimal(secondsTaken), "start_ns": .integer(startWall), "cpu_seconds": .decimal(ProcessTable.cpuSeconds(of: getpid())),
            "unanswered": counters.unanswered.withLock { $0 }.map { .string($0) } ?? .null,
            "round_trip_p50_us": .integer(Int64(counters.roundTrips.withLock { $0.valueAtPercentile(50) })),
            "round_trip_p99_us": .integer(Int64(counters.roundTrips.withLock { $0.valueAtPercentile(99) })),
        ]
        print(result.jsonText)
        try await client.shutdown()
    }

    /// One request, counted; answers whether it was accepted.
    private static func post(_ body: String, to path: String, key: String, idempotencyKey: String?, client: HTTPClient, counters: Counters) async -> Bool {
        var request = HTTPClientRequest(url: path)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        if !key.isEmpty { request.headers.add(name: "Authorization", value: "Bearer \(key)") }
        if let idempotencyKey { request.headers.add(name: "Idempotency-Key", value: idempotencyKey) }
        request.body = .bytes(ByteBuffer(string: body))
        defer { counters.completed.add(1, ordering: .relaxed) }
        do {
            let start = ContinuousClock.now
            let response = try await client.execute(request, timeout: .seconds(30))
            _ = try await response.body.collect(upTo: 1 << 20)
            let took = ContinuousClock.now - start
            _ = counters.roundTrips.withLock { $0.record(UInt64(took.wholeMicroseconds)) }
            guard response.status.code < 300 else {
                counters.failures.add(1, ordering: .relaxed)
                return false
            }
            return true
        } catch {
            counters.failures.add(1, ordering: .relaxed)
            counters.unanswered.withLock { $0 = $0 ?? "POST \(path): \(error)" }
            return false
        }
    }
}
