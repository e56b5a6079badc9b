import AsyncHTTPClient
import Foundation
import HooklineCore
@testable import HooklineStore
import HooklineTestSupport
import Hummingbird
import Testing

/// What the unauthenticated operations endpoints tell anyone who asks.
@Suite struct OperationsExposureTests {
    /// A database that stops answering: `/readyz` says so, without naming its host, port or
    /// database (the log does).
    @Test func readinessNamesNoDatabaseWhenItStopsAnswering() async throws {
        let location = try await TestScratch.postgresLocation()
        // One connection: its backend is the one every statement goes to.
        let store = try PostgresStore(location: location, maximumConnections: 1)
        let details = [location.host, String(location.port), location.database]
        try await Hookline.run(runsWorkers: false, store: store) { hookline in
            #expect(try await hookline.call(.get, "/readyz", key: nil).status == .ok)
            let pid = try #require(try await store.rows("SELECT pg_backend_pid() AS pid").first?.column("pid", as: Int32.self))
            #expect(kill(pid, SIGSTOP) == 0)
            defer { kill(pid, SIGCONT) }
            // The store's own deadlines answer it (10 to 15 s); the test client gives up after 20 s,
            // which a busy machine can pass.
            let port = try #require(hookline.client.port)
            let ready = try await HTTPClient.shared.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/readyz"), timeout: .seconds(120))
            let text = String(buffer: try await ready.body.collect(upTo: 1 << 20))
            kill(pid, SIGCONT)
            #expect(ready.status == .serviceUnavailable && text.contains("store unreachable"), "\(text)")
            for detail in details {
                #expect(!text.contains(detail), "/readyz shows \(detail): \(text)")
            }
        }
    }
}
