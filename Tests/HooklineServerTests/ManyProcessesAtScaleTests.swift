import AsyncHTTPClient
import Foundation
import HooklineCore
import HooklineTestSupport
import NIOCore
import Synchronization
import Testing

/// Hookline on PostgreSQL at the scale of a busy account, as an operator runs it: one `api` and
/// three `worker` processes of the real executable, 10,000 events for 1,000 calls. Undisturbed,
/// every delivery arrives exactly once in per-call order; with a worker killed and the database
/// restarted mid-run, every accepted event still arrives, a duplicate only as the same delivery.
@Suite(.serialized) struct ManyProcessesAtScaleTests {
    typealias Server = ServeCommandTests.ServerProcess

    static let calls = 1_000
    static let messagesPerLead = 7
    static let eventsPerCall = 3 + messagesPerLead
    static let events = calls * eventsPerCall

    /// What the receiver should see for call `index`: on `/ok/calls` its begin then its end, and
    /// on `/ok/leads` its lead then the lead's messages in order.
    static func expectedCalls(_ index: Int) -> [String] { ["c\(index):", "c\(index):ANSWER"] }
    static func expectedLeads(_ index: Int) -> [String] { ["l\(index):"] + (1...messagesPerLead).map { "l\(index):m\($0)" } }

    static func callKey(_ request: ReceivedRequest) -> String {
        "\(request.json?["id"]?.stringValue ?? "?"):\(request.json?["status"]?.stringValue ?? "")"
    }

    static func leadKey(_ request: ReceivedRequest) -> String {
        "\(request.json?["lead"]?.stringValue ?? "?"):\(request.json?["message"]?.stringValue ?? "")"
    }

    /// Events accepted by the API, counted as the load goes.
    final class Progress: Sendable {
        let accepted = Atomic<Int>(0)
        let retried = Atomic<Int>(0)
    }

    /// A POST retried with its idempotency key until the API accepts it: while the database
    /// restarts the API answers 503, or a connection fails.
    static func send(_ url: String, key: String, idempotencyKey: String, body: String, progress: Progress) async throws {
        let deadline = ContinuousClock.now + .seconds(120)
        var last = ""
        while ContinuousClock.now < deadline {
            var request = HTTPClientRequest(url: url)
            request.method = .POST
            request.headers.add(name: "Authorization", value: "Bearer \(key)")
            request.headers.add(name: "Idempotency-Key", value: idempotencyKey)
            request.body = .bytes(ByteBuffer(string: body))
            do {
                let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
                let text = String(buffer: try await response.body.collect(upTo: 1 << 20))
                if (200..<300).contains(response.status.code) {
                    progress.accepted.add(1, ordering: .relaxed)
                    return
                }
                last = "\(response.status.code) \(text)"
                guard response.status.code == 503 else { break }
            } catch {
                last = "\(error)"
            }
            progress.retried.add(1, ordering: .relaxed)
            try await Task.sleep(for: .milliseconds(200))
        }
        Issue.record("POST \(url) was not accepted: \(last)")
        throw CancellationError()
    }

    /// Sends every call's ten events, 40 calls at a time, each call's in order.
    static func load(apiPort: Int, key: String, progress: Progress) async throws {
        let base = "http://127.0.0.1:\(apiPort)/v1"
        try await withThrowingTaskGroup(of: Void.self) { group in
            for lane in 0..<40 {
                group.addTask {
                    for index in stride(from: lane, to: calls, by: 40) {
                        try await send("\(base)/calls", key: key, idempotencyKey: "b\(index)", body: #"{"callid": "c\#(index)"}"#, progress: progress)
                        try await send("\(base)/leads", key: key, idempotencyKey: "l\(index)", body: #"{"lead_id": "l\#(index)"}"#, progress: progress)
                        for message in 1...messagesPerLead {
                            try await send(
                                "\(base)/messages", key: key, idempotencyKey: "m\(index)-\(message)",
                                body: #"{"lead_id": "l\#(index)", "message_id": "m\#(message)"}"#, progress: progress)
                        }
                        try await send("\(base)/calls/c\(index)/end", key: key, idempotencyKey: "e\(index)", body: #"{"dialstatus": "ANSWER"}"#, progress: progress)
                    }
                }
            }
            try await group.waitForAll()
        }
    }

    /// An account with its two webhooks, through the API.
    static func configure(apiPort: Int, receiver: Receiver) async throws -> String {
        let (created, account) = try await ServeCommandTests.post("http://127.0.0.1:\(apiPort)/v1/accounts", key: "operator-key", body: #"{"name": "Acme"}"#)
        #expect(created == 201)
        let key = try #require(try JSONParser.parse(account)["api_key"]?.stringValue)
        let webhooks: [JSONValue] = [
            [
                "name": "calls", "url": .string(receiver.url("/ok/calls")), "triggers": ["call.begin", "call.end"],
                "template": ["format": "json", "body": #"{"id": "%callid%", "status": "%dialstatus%"}"#],
            ],
            [
                "name": "leads", "url": .string(receiver.url("/ok/leads")), "triggers": ["lead.created", "lead.message"],
                "template": ["format": "json", "body": #"{"lead": "%lead_id%", "message": "%message_id%"}"#],
            ],
        ]
        for webhook in webhooks {
            let (status, body) = try await ServeCommandTests.post("http://127.0.0.1:\(apiPort)/v1/webhooks", key: key, body: webhook.jsonText)
            #expect(status == 201, "\(body)")
        }
        return key
    }

    struct Run {
        var calls: [ReceivedRequest]
        var leads: [ReceivedRequest]
    }

    /// Starts one `api` and three `worker` processes on `database`, configures them, runs the
    /// load with `disturb` beside it, and waits for every event to arrive (printing how long after
    /// the last event was accepted).
    static func run(database: String, disturb: @escaping @Sendable (Progress, [Server]) async throws -> Void) async throws -> Run? {
        let environment = ["HOOKLINE_ADMIN_KEY": "operator-key", "HOOKLINE_DB": database, "HOOKLINE_HOST": "127.0.0.1"]
        return try await Receiver.run { receiver in
            let api = try Server(arguments: ["serve", "--role", "api", "--port", "0"], environment: environment)
            let apiPort = try await api.port()
            let workers = try (0..<3).map { _ in try Server(arguments: ["serve", "--role", "worker", "--port", "0", "--no-migrate"], environment: environment) }
            for worker in workers { _ = try await worker.port() }
            let processes = [api] + workers
            defer { for process in processes where process.process.isRunning { kill(process.process.processIdentifier, SIGKILL) } }

            let key = try await configure(apiPort: apiPort, receiver: receiver)
            let progress = Progress()
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await load(apiPort: apiPort, key: key, progress: progress) }
                group.addTask { try await disturb(progress, workers) }
                try await group.waitForAll()
            }
            #expect(progress.accepted.load(ordering: .relaxed) == events)
            let lastAccepted = ContinuousClock.now
            let distinct: @Sendable () async -> Int = {
                let received = await receiver.recorder.requests(to: "/ok/")
                return Set(received.compactMap { $0.header("webhook-id") }).count
            }
            // The issue's mark is a minute (met on an idle machine); the deadline is three, for a
            // loaded 2-core machine running the rest of the suite beside it.
            let arrived: Void? = try? await eventually(timeout: .seconds(180), "every event delivered") {
                await distinct() >= events
            } onTimeout: {
                "\(await distinct()) of \(events) arrived (\(progress.retried.load(ordering: .relaxed)) sends retried)\n"
                    + processes.map { String($0.text.suffix(6_000)) }.joined(separator: "\n---\n")
            }
            guard arrived != nil else { return nil }
            print("ManyProcessesAtScaleTests: every event delivered \(ContinuousClock.now - lastAccepted) after the last one was accepted")
            // A moment for any duplicate still on its way.
            try await Task.sleep(for: .seconds(1))
            let run = Run(calls: await receiver.recorder.requests(to: "/ok/calls"), leads: await receiver.recorder.requests(to: "/ok/leads"))
            for process in processes where process.process.isRunning { #expect(try await process.terminate() == 0) }
            return run
        }
    }

    @Test func oneAPIAndThreeWorkersDeliver10000EventsExactlyOnceInPerCallOrder() async throws {
        let database = try await TestScratch.postgresDatabase()
        let run = try #require(try await Self.run(database: database) { _, _ in })
        #expect(run.calls.count == Self.calls * 2)
        #expect(run.leads.count == Self.calls * (1 + Self.messagesPerLead))
        #expect(Set((run.calls + run.leads).compactMap { $0.header("webhook-id") }).count == Self.events)
        let calls = Dictionary(grouping: run.calls.map(Self.callKey)) { $0.split(separator: ":").first.map(String.init) ?? "" }
        let leads = Dictionary(grouping: run.leads.map(Self.leadKey)) { $0.split(separator: ":").first.map(String.init) ?? "" }
        var outOfOrder: [String] = []
        for index in 0..<Self.calls {
            if calls["c\(index)"] ?? [] != Self.expectedCalls(index) { outOfOrder.append("c\(index): \(calls["c\(index)"] ?? [])") }
            if leads["l\(index)"] ?? [] != Self.expectedLeads(index) { outOfOrder.append("l\(index): \(leads["l\(index)"] ?? [])") }
        }
        #expect(outOfOrder.isEmpty, "\(outOfOrder.count) subjects out of order or incomplete, such as \(outOfOrder.prefix(3))")
    }

    @Test func aWorkerKilledAndTheDatabaseRestartedMidRunLoseNothing() async throws {
        let cluster = try await PostgresCluster()
        do {
            let run = try #require(
                try await Self.run(database: cluster.url) { progress, workers in
                    while progress.accepted.load(ordering: .relaxed) < Self.events * 3 / 10 { try await Task.sleep(for: .milliseconds(20)) }
                    kill(workers[0].process.processIdentifier, SIGKILL)
                    while progress.accepted.load(ordering: .relaxed) < Self.events * 6 / 10 { try await Task.sleep(for: .milliseconds(20)) }
                    try await cluster.restart()
                })
            // Every accepted event arrived at least once; a duplicate is the same delivery again.
            let byID = Dictionary(grouping: run.calls.map { ($0.header("webhook-id") ?? "", Self.callKey($0)) } + run.leads.map { ($0.header("webhook-id") ?? "", Self.leadKey($0)) }) { $0.0 }
            #expect(byID.count == Self.events)
            #expect(byID.values.allSatisfy { Set($0.map(\.1)).count == 1 }, "a webhook-id carried two different events")
            let delivered = Set(byID.values.compactMap { $0.first?.1 })
            let expected = Set((0..<Self.calls).flatMap { Self.expectedCalls($0) + Self.expectedLeads($0) })
            #expect(delivered == expected, "\(expected.subtracting(delivered).count) events missing, such as \(expected.subtracting(delivered).prefix(3))")
        } catch {
            await cluster.stop()
            throw error
        }
        await cluster.stop()
    }
}
