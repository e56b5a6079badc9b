import AsyncHTTPClient
import Foundation
import HooklineProcesses
import HooklineCore
import HooklineTestSupport
import NIOCore
import Testing

/// Hookline as an operator runs it on PostgreSQL: the real executable, several processes on one
/// database, each with its role.
@Suite struct ManyProcessesTests {
    typealias Server = ServeCommandTests.ServerProcess

    static func get(_ url: String, key: String? = nil) async throws -> (Int, String) {
        var request = HTTPClientRequest(url: url)
        if let key { request.headers.add(name: "Authorization", value: "Bearer \(key)") }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        return (Int(response.status.code), String(buffer: try await response.body.collect(upTo: 1 << 20)))
    }

    @Test func twoMigrationsAtOnceApplyTheSchemaOnceAndBadDatabasesAreClearMessages() async throws {
        let database = try await TestScratch.postgresDatabase()
        let migrations = try [Server(arguments: ["migrate", "--db", database]), Server(arguments: ["migrate", "--db", database])]
        for migration in migrations {
            await migration.process.waitUntilExit()
            #expect(migration.process.terminationStatus == 0)
            try await eventually("the migration's message") { migration.text.contains("is up to date") }
            // The password never appears; the database does.
            #expect(migration.text.contains(database))
        }

        let unreachable = try Server(arguments: ["serve", "--db", "postgres://hookline:secret@127.0.0.1:1/none", "--port", "0"])
        await unreachable.process.waitUntilExit()
        #expect(unreachable.process.terminationStatus != 0)
        try await eventually(timeout: .seconds(20), "the message about the database") { unreachable.text.contains("cannot be reached") }
        #expect(!unreachable.text.contains("secret"))

        let malformed = try Server(arguments: ["serve", "--db", "postgres://127.0.0.1/none", "--port", "0"])
        await malformed.process.waitUntilExit()
        #expect(malformed.process.terminationStatus != 0)
        try await eventually("the message about the URL") { malformed.text.contains("names no user") }
    }

    /// One `api` and two `worker` processes: every event is delivered exactly once, each call's
    /// begin before its end; workers serve health, readiness and metrics but not the API.
    @Test func anAPIProcessAndTwoWorkersDeliverEachEventOnceInPerCallOrder() async throws {
        let database = try await TestScratch.postgresDatabase()
        let environment = ["HOOKLINE_ADMIN_KEY": "operator-key", "HOOKLINE_DB": database, "HOOKLINE_HOST": "127.0.0.1"]
        try await Receiver.run { receiver in
            let api = try Server(arguments: ["serve", "--role", "api", "--port", "0"], environment: environment)
            let workers = try [
                Server(arguments: ["serve", "--role", "worker", "--port", "0", "--no-migrate"], environment: environment),
                Server(arguments: ["serve", "--role", "worker", "--port", "0"], environment: environment),
            ]
            let apiPort = try await api.port()
            var workerPorts: [Int] = []
            for worker in workers { workerPorts.append(try await worker.port()) }

            let (created, account) = try await ServeCommandTests.post("http://127.0.0.1:\(apiPort)/v1/accounts", key: "operator-key", body: #"{"name": "Acme"}"#)
            #expect(created == 201)
            let key = try #require(try JSONParser.parse(account)["api_key"]?.stringValue)
            let webhook: JSONValue = [
                "name": "crm", "url": .string(receiver.url("/ok/hook")), "triggers": ["call.begin", "call.end"],
                "template": ["format": "json", "body": #"{"id": "%callid%", "status": "%dialstatus%"}"#],
            ]
            #expect(try await ServeCommandTests.post("http://127.0.0.1:\(apiPort)/v1/webhooks", key: key, body: webhook.jsonText).0 == 201)

            let calls = 60
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<calls {
                    group.addTask {
                        let begin = try await ServeCommandTests.post("http://127.0.0.1:\(apiPort)/v1/calls", key: key, body: #"{"callid": "c\#(index)"}"#)
                        #expect(begin.0 == 201 || begin.0 == 202, "\(begin.1)")
                        let end = try await ServeCommandTests.post(
                            "http://127.0.0.1:\(apiPort)/v1/calls/c\(index)/end", key: key, body: #"{"dialstatus": "ANSWER"}"#)
                        #expect(end.0 == 201 || end.0 == 202 || end.0 == 200, "\(end.1)")
                    }
                }
                try await group.waitForAll()
            }
            let processes = [api] + workers
            try await eventually(timeout: .seconds(60), "every delivery") { await receiver.recorder.requests(to: "/ok/hook").count >= calls * 2 }
                onTimeout: { "\(await receiver.recorder.requests(to: "/ok/hook").count) arrived; " + processes.map(\.text).joined(separator: "\n---\n") }
            // A moment for any duplicate to arrive.
            try await Task.sleep(for: .milliseconds(500))
            let received = await receiver.recorder.requests(to: "/ok/hook")
            #expect(received.count == calls * 2)
            #expect(Set(received.compactMap { $0.header("webhook-id") }).count == calls * 2)
            for index in 0..<calls {
                let statuses = received.filter { $0.json?["id"]?.stringValue == "c\(index)" }.map { $0.json?["status"]?.stringValue ?? "" }
                #expect(statuses == ["", "ANSWER"], "call c\(index): \(statuses)")
            }

            for port in workerPorts {
                #expect(try await Self.get("http://127.0.0.1:\(port)/readyz").0 == 200)
                #expect(try await Self.get("http://127.0.0.1:\(port)/metrics").0 == 200)
                #expect(try await Self.get("http://127.0.0.1:\(port)/v1/calls", key: key).0 == 404)
            }
            for server in [api] + workers { #expect(try await server.terminate() == 0) }
            await receiver.recorder.stop()
        }
    }
}
