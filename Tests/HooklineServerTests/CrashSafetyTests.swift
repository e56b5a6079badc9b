import AsyncHTTPClient
import Foundation
import HooklineCore
import NIOCore
import NIOHTTP1
import Synchronization
import Testing

/// kill -9 under load loses nothing: every accepted event is delivered at least once, and a
/// duplicate carries the same `webhook-id`.
@Suite struct CrashSafetyTests {
    static func request(_ method: HTTPMethod, _ url: String, key: String, body: String? = nil) async throws -> (Int, JSONValue) {
        var request = HTTPClientRequest(url: url)
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(key)")
        if let body { request.body = .bytes(ByteBuffer(string: body)) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        let text = String(buffer: try await response.body.collect(upTo: 8 << 20))
        return (Int(response.status.code), (try? JSONParser.parse(text)) ?? .null)
    }

    static let adminKey = "crash-admin"

    /// A server process on `database`, an account, and a webhook for `call.begin` to the
    /// receiver's `/slow/` path. Two requests at a time, 30 ms each: the load outruns delivery
    /// however fast events are accepted (deliveries leave at once), so a stop comes mid-load.
    static func serverWithSlowWebhook(
        database: String, environment: [String: String], receiver: Receiver, extra: JSONObject = [:]
    ) async throws -> (process: ServeCommandTests.ServerProcess, base: String, key: String) {
        let process = try ServeCommandTests.ServerProcess(arguments: ["serve", "--db", database, "--port", "0"], environment: environment)
        let base = "http://127.0.0.1:\(try await process.port())"
        let (_, account) = try await request(.POST, "\(base)/v1/accounts", key: adminKey, body: #"{"name": "Crash"}"#)
        let key = try #require(account["api_key"]?.stringValue)
        var webhook: JSONObject = [
            "name": "crm", "url": .string(receiver.url("/slow/crm")), "triggers": ["call.begin"], "max_in_flight": 2,
            "template": ["format": "json", "body": #"{"id": "%callid%"}"#],
        ]
        for (name, value) in extra { webhook[name] = value }
        #expect(try await request(.POST, "\(base)/v1/webhooks", key: key, body: JSONValue.object(webhook).jsonText).0 == 201)
        return (process, base, key)
    }

    @Test func killNineMidLoadLosesNothing() async throws {
        let database = try Hookline.temporaryDatabase()
        let environment = ["HOOKLINE_ADMIN_KEY": Self.adminKey, "HOOKLINE_HOST": "127.0.0.1"]
        try await Receiver.run { receiver in
            let (first, base, key) = try await Self.serverWithSlowWebhook(
                database: database, environment: environment, receiver: receiver, extra: ["retry": ["schedule": [0, 0.2], "max_age": 600], "timeouts": ["total": 1]])

            // Load from several clients at once; SIGKILL while it runs, once 30 events are in
            // (counted, not timed: a busy machine accepts fewer in any given time).
            let acceptedSoFar = AcceptedCount()
            let accepted = try await withThrowingTaskGroup(of: [String].self) { group in
                for client in 0..<4 {
                    group.addTask {
                        var mine: [String] = []
                        for index in 0..<150 {
                            let call = "k\(client)-\(index)"
                            guard let (status, _) = try? await Self.request(.POST, "\(base)/v1/calls", key: key, body: #"{"callid": "\#(call)"}"#) else { break }
                            if status == 201 {
                                mine.append(call)
                                acceptedSoFar.value.add(1, ordering: .relaxed)
                            }
                        }
                        return mine
                    }
                }
                group.addTask {
                    let deadline = ContinuousClock.now + .seconds(60)
                    while acceptedSoFar.value.load(ordering: .relaxed) < 30, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
                    kill(first.process.processIdentifier, SIGKILL)
                    return []
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            await first.process.waitUntilExit()
            #expect(first.process.terminationReason == .uncaughtSignal)
            #expect(accepted.count > 20, "too few events accepted before the kill: \(accepted.count)")
            let deliveredBeforeRestart = Set(await receiver.recorder.requests.compactMap { $0.json?["id"]?.stringValue })
            #expect(deliveredBeforeRestart.count < accepted.count, "the kill came after everything was delivered")

            let second = try ServeCommandTests.ServerProcess(arguments: ["serve", "--db", database, "--port", "0"], environment: environment)
            let restarted = "http://127.0.0.1:\(try await second.port())"
            // Generous: up to 600 events through two slow slots, beside the rest of the suite on a
            // loaded two-core machine. A lost event never arrives; a late one says how far it got.
            try await eventually(timeout: .seconds(180), "every accepted event delivered") {
                let received = Set(await receiver.recorder.requests.compactMap { $0.json?["id"]?.stringValue })
                return received.isSuperset(of: accepted)
            } onTimeout: {
                let received = Set(await receiver.recorder.requests.compactMap { $0.json?["id"]?.stringValue })
                let pending = try? await Self.request(.GET, "\(restarted)/v1/deliveries?status=pending&limit=100", key: key).1["data"]?.arrayValue?.count
                return "\(accepted.count - accepted.filter(received.contains).count) of \(accepted.count) accepted not received; pending: \(pending.map(String.init) ?? "unknown")"
            }
            // A delivery sent twice (its first answer was lost in the crash) is the same message.
            var idsByCall: [String: Set<String>] = [:]
            for request in await receiver.recorder.requests {
                guard let call = request.json?["id"]?.stringValue, let id = request.header("webhook-id") else { continue }
                idsByCall[call, default: []].insert(id)
            }
            #expect(idsByCall.values.allSatisfy { $0.count == 1 })
            try await eventually("nothing left pending") {
                let (_, pending) = try await Self.request(.GET, "\(restarted)/v1/deliveries?status=pending", key: key)
                return pending["data"] == []
            }
            #expect(try await second.terminate() == 0)
        }
    }

    /// kill -9 with the default lease of 180 s: the restarted process knows its predecessor is gone
    /// (it holds the file's delivery lock) and sends what that one held at once.
    @Test func aRestartAfterKillNineSendsWhatTheDeadProcessHeldAtOnce() async throws {
        let database = try Hookline.temporaryDatabase()
        let environment = ["HOOKLINE_ADMIN_KEY": Self.adminKey, "HOOKLINE_HOST": "127.0.0.1"]
        try await Receiver.run { receiver in
            // The receiver hangs for the first process: every delivery it sent stays in flight.
            let (first, base, key) = try await Self.serverWithSlowWebhook(
                database: database, environment: environment, receiver: receiver,
                extra: ["url": .string(receiver.url("/hangwhile/crm")), "timeouts": ["total": 100], "max_in_flight": 4])
            await receiver.recorder.setHanging(true)
            var accepted: [String] = []
            for index in 0..<40 {
                let (status, _) = try await Self.request(.POST, "\(base)/v1/calls", key: key, body: #"{"callid": "h\#(index)"}"#)
                if status == 201 { accepted.append("h\(index)") }
            }
            #expect(accepted.count == 40)
            try await eventually(timeout: .seconds(30), "the first process's requests in flight") {
                await receiver.recorder.requests.count >= 4
            }
            kill(first.process.processIdentifier, SIGKILL)
            await first.process.waitUntilExit()
            await receiver.recorder.setHanging(false)
            let before = await receiver.recorder.requests.count

            let restart = ContinuousClock.now
            let second = try ServeCommandTests.ServerProcess(arguments: ["serve", "--db", database, "--port", "0"], environment: environment)
            _ = try await second.port()
            try await eventually(timeout: .seconds(30), "a first delivery after the restart") {
                await receiver.recorder.requests.count > before
            }
            let firstDelivery = ContinuousClock.now - restart
            let expected = Set(accepted)
            try await eventually(timeout: .seconds(30), "every accepted event delivered within 30 s of the restart") {
                // Nothing sent before the kill was answered: all must come again.
                let sent = Set(await receiver.recorder.requests.filter { $0.at >= restart }.compactMap { $0.json?["id"]?.stringValue })
                return sent.isSuperset(of: expected)
            }
            print("restart after kill -9: first delivery \(firstDelivery), all \(accepted.count) in \(ContinuousClock.now - restart)")
            #expect(try await second.terminate() == 0)
        }
    }

    /// SIGTERM with deliveries in flight, handed over by ingest and waiting in the store: the
    /// process exits cleanly, and the next start sends the rest at once, each exactly once. (With
    /// leases of 180 s, a delivery leased at ingest and then neither sent nor given back would wait
    /// three minutes.)
    @Test func sigtermMidLoadLeavesNothingHeldAndSendsNothingTwice() async throws {
        let database = try Hookline.temporaryDatabase()
        let environment = ["HOOKLINE_ADMIN_KEY": Self.adminKey, "HOOKLINE_HOST": "127.0.0.1"]
        try await Receiver.run { receiver in
            let (first, base, key) = try await Self.serverWithSlowWebhook(database: database, environment: environment, receiver: receiver)
            let calls = (0..<200).map { "t\($0)" }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for chunk in stride(from: 0, to: calls.count, by: 50) {
                    group.addTask {
                        for call in calls[chunk..<chunk + 50] {
                            let (status, _) = try await Self.request(.POST, "\(base)/v1/calls", key: key, body: #"{"callid": "\#(call)"}"#)
                            #expect(status == 201)
                        }
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await first.terminate() == 0)
            let sentBeforeStop = await receiver.recorder.requests.count
            #expect(sentBeforeStop < calls.count, "everything was delivered before the stop")

            let second = try ServeCommandTests.ServerProcess(arguments: ["serve", "--db", database, "--port", "0"], environment: environment)
            _ = try await second.port()
            try await eventually("every call delivered after the restart") {
                Set(await receiver.recorder.requests.compactMap { $0.json?["id"]?.stringValue }).isSuperset(of: calls)
            }
            // Finished before the stop, or sent after it: never both.
            let ids = await receiver.recorder.requests.compactMap { $0.json?["id"]?.stringValue }
            #expect(ids.count == calls.count, "sent twice: \(ids.count - calls.count)")
            #expect(try await second.terminate() == 0)
        }
    }
}

/// Events accepted so far by the load of a crash test.
final class AcceptedCount: Sendable {
    let value = Atomic<Int>(0)
}
