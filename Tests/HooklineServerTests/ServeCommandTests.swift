import AsyncHTTPClient
import Foundation
import HooklineProcesses
import HooklineCore
import NIOCore
import Synchronization
import Testing

/// `hookline serve` as a user runs it: a separate process, configured by flags and environment.
@Suite struct ServeCommandTests {
    /// The built `hookline` executable, next to the test bundle.
    static var executable: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("hookline")
    }

    final class ServerProcess: Sendable {
        let process: ChildProcess

        init(arguments: [String], environment: [String: String] = [:]) throws {
            var env = ProcessInfo.processInfo.environment
            env["HOOKLINE_ADMIN_KEY"] = nil
            env["HOOKLINE_ALLOW_PRIVATE_DESTINATIONS"] = "1"
            env.merge(environment) { $1 }
            process = try ChildProcess(executable: ServeCommandTests.executable.path, arguments: arguments, environment: env, endsWithParent: true)
        }

        var text: String { process.text }

        /// The port from "listening on 127.0.0.1:PORT".
        func port() async throws -> Int {
            // Generous: every test starts at once, and a loaded two-core machine may take a while.
            let deadline = ContinuousClock.now + .seconds(90)
            while ContinuousClock.now < deadline {
                if let range = text.range(of: #"listening on 127\.0\.0\.1:(\d+)"#, options: .regularExpression),
                    let port = Int(text[range].split(separator: ":").last!)
                {
                    return port
                }
                guard process.isRunning else { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            Issue.record("server did not start: \(text)")
            throw CancellationError()
        }

        func terminate() async throws -> Int32 {
            process.terminate()
            let deadline = ContinuousClock.now + .seconds(20)
            while process.isRunning, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
            return process.terminationStatus
        }
    }

    static func post(_ url: String, key: String, body: String) async throws -> (Int, String) {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(key)")
        request.body = .bytes(ByteBuffer(string: body))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        return (Int(response.status.code), String(buffer: try await response.body.collect(upTo: 1 << 20)))
    }

    @Test func generatesTheAdminKeyOnceAndStopsCleanlyOnSIGTERM() async throws {
        let database = try Hookline.temporaryDatabase()
        let first = try ServerProcess(arguments: ["serve", "--db", database, "--port", "0"], environment: ["HOOKLINE_HOST": "127.0.0.1"])
        let port = try await first.port()
        let line = try #require(first.text.split(separator: "\n").first { $0.contains("Generated admin key") })
        let adminKey = try #require(line.split(separator: " ").last.map(String.init))
        #expect(adminKey.hasPrefix("hka_"))
        let (status, body) = try await Self.post("http://127.0.0.1:\(port)/v1/accounts", key: adminKey, body: #"{"name": "Acme"}"#)
        #expect(status == 201, "\(body)")
        #expect(try await first.terminate() == 0)
        #expect(FileManager.default.fileExists(atPath: database))

        // The second start keeps the stored key and prints none.
        let second = try ServerProcess(arguments: ["serve", "--port", "0"], environment: ["HOOKLINE_DB": database, "HOOKLINE_HOST": "127.0.0.1"])
        let secondPort = try await second.port()
        #expect(!second.text.contains("Generated admin key"))
        #expect(try await Self.post("http://127.0.0.1:\(secondPort)/v1/accounts", key: adminKey, body: #"{"name": "Beta"}"#).0 == 201)
        #expect(try await second.terminate() == 0)
    }

    @Test func theEnvironmentAdminKeyWinsAndBadSettingsAreRefused() async throws {
        let database = try Hookline.temporaryDatabase()
        let server = try ServerProcess(arguments: ["serve", "--db", database, "--port", "0", "--host", "127.0.0.1"], environment: ["HOOKLINE_ADMIN_KEY": "operator-key"])
        let port = try await server.port()
        #expect(!server.text.contains("Generated admin key"))
        #expect(try await Self.post("http://127.0.0.1:\(port)/v1/accounts", key: "operator-key", body: #"{"name": "Acme"}"#).0 == 201)
        #expect(try await server.terminate() == 0)

        let bad = try ServerProcess(arguments: ["serve", "--db", database], environment: ["HOOKLINE_PORT": "eighty"])
        await bad.process.waitUntilExit()
        #expect(bad.process.terminationStatus != 0)
        // The pipe may still hold the message when the process is gone.
        try await eventually("the message about HOOKLINE_PORT") { bad.text.contains("HOOKLINE_PORT must be a whole number") }

        // A lease shorter than the longest webhook request would let another worker send it again.
        let shortLease = try ServerProcess(arguments: ["serve", "--db", database, "--port", "0", "--lease-seconds", "60"])
        await shortLease.process.waitUntilExit()
        #expect(shortLease.process.terminationStatus != 0)
        try await eventually("the message about --lease-seconds") { shortLease.text.contains("--lease-seconds must be more than 120") }
    }

    @Test func benchRefusesFlagsItCannotMeasureWith() async throws {
        for (flag, message) in [("--runs", "--runs must be at least 1"), ("--events", "--events, --fanout-webhooks"), ("--raw-seconds", "--raw-seconds, --latency-seconds")] {
            let bench = try ServerProcess(arguments: ["bench", flag, "0"])
            await bench.process.waitUntilExit()
            // The pipe may still hold the message when the process is gone.
            try await eventually("the message \(message)") { bench.text.contains(message) }
            #expect(bench.process.terminationStatus == 64)
        }
    }

    @Test func benchLoadRefusesATrackingNumberThatIsNotOne() async throws {
        for number in [#"7"}, "x": "1"#, "", String(repeating: "7", count: 33), "+7 (999) 000-00-0\u{301}"] {
            let load = try ServerProcess(arguments: ["bench-load", "calls", "--url", "http://127.0.0.1:9", "--tracking-number", number])
            await load.process.waitUntilExit()
            try await eventually("the message about --tracking-number") { load.text.contains("--tracking-number must be a phone number") }
            #expect(load.process.terminationStatus == 64)
        }
    }
}
