import GRDB
import HooklineCore
@testable import HooklineStore
import Hummingbird
import Testing

/// A database that cannot grow refuses new events clearly, says so in `/readyz` and the metrics,
/// loses nothing it acknowledged, and recovers by itself when space comes back.
@Suite struct FullStorageTests {
    static func capPages(_ store: SQLiteStore, extra: Int?) async throws {
        try await store.pool.writeWithoutTransaction { db in
            let pages = try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0
            try db.execute(sql: "PRAGMA max_page_count = \(extra.map { pages + $0 } ?? 1_073_741_823)")
        }
    }

    @Test func aFullDatabaseAnswers507AndRecovers() async throws {
        let path = try Hookline.temporaryDatabase()
        let store = try SQLiteStore(path: path)
        try await Hookline.run(database: path, runsWorkers: false, store: store) { hookline in
            let key = try await hookline.account()
            _ = try await hookline.webhook(key: key, url: "http://127.0.0.1:9/")
            try await Self.capPages(store, extra: 40)
            let name = String(repeating: "n", count: 20_000)
            var acknowledged: [String] = []
            var refused: Hookline.Answer?
            for index in 0..<500 {
                let answer = try await hookline.call(.post, "/v1/calls", key: key, json: ["callid": .string("c\(index)"), "ani_full_name": .string(name)])
                if answer.status == .created {
                    acknowledged.append("c\(index)")
                } else {
                    refused = answer
                    break
                }
            }
            let answer = try #require(refused)
            #expect(answer.status.code == 507, "\(answer.text)")
            #expect(answer.errorMessage?.contains("cannot grow") == true)
            #expect(!acknowledged.isEmpty)
            let ready = try await hookline.call(.get, "/readyz", key: nil)
            #expect(ready.status == .serviceUnavailable)
            #expect(ready.text.contains("storage"), "\(ready.text)")
            #expect(try await hookline.call(.get, "/metrics", key: nil).text.contains("hookline_storage_full 1"))
            #expect(try await hookline.call(.get, "/healthz", key: nil).status == .ok)

            // Space comes back: readiness sees it without any write from a client.
            try await Self.capPages(store, extra: nil)
            try await eventually(timeout: .seconds(30), "readiness after space came back") {
                try await hookline.call(.get, "/readyz", key: nil).status == .ok
            }
            #expect(try await hookline.call(.get, "/metrics", key: nil).text.contains("hookline_storage_full 0"))
            let again = try await hookline.call(.post, "/v1/calls", key: key, json: ["callid": "after", "ani_full_name": .string(name)])
            #expect(again.status == .created)
            for id in acknowledged {
                #expect(try await hookline.call(.get, "/v1/calls/\(id)", key: key).status == .ok, "acknowledged call \(id) was lost")
            }
            #expect(try await hookline.deliveries(key: key, query: "?limit=500").count == acknowledged.count + 1)
        }
    }
}
