import Foundation
import Synchronization
@testable import HooklineStore
import HooklineTestSupport
import Testing

/// What `hookline bench --db` reads of the server and asks of it around each run.
@Suite struct PostgresServerActivityTests {
    @Test func aCheckpointAskedForIsCounted() async throws {
        let store = try PostgresStore(location: try await TestScratch.postgresLocation(), maximumConnections: 1)
        let before = try await store.serverActivity()
        try await store.checkpoint()
        // The checkpointer reports its count when the checkpoint ends, a moment after it answers.
        var after = try await store.serverActivity()
        let deadline = ContinuousClock.now + .seconds(60)
        while after.checkpoints == before.checkpoints, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
            after = try await store.serverActivity()
        }
        #expect((after - before).checkpoints >= 1)
    }

    /// A checkpoint or a vacuum may outlast the pool's statement deadline on a busy disk; the
    /// connection they ran on has its deadline again afterwards, whether they failed or not.
    @Test func upkeepRunsWithoutTheStatementDeadlineAndTheConnectionGetsItBack() async throws {
        let store = try PostgresStore(location: try await TestScratch.postgresLocation(), maximumConnections: 1)
        let deadline = "\(PostgresStore.statementTimeout.components.seconds)s"
        #expect(try await Self.statementTimeout(store) == deadline)
        let during = Mutex<String?>(nil)
        try await store.withoutStatementDeadline { connection in
            let shown = try await connection.query("SHOW statement_timeout", logger: store.logger).collect().first?.decode(String.self)
            during.withLock { $0 = shown }
        }
        #expect(during.withLock { $0 } == "0")
        #expect(try await Self.statementTimeout(store) == deadline)

        await #expect(throws: (any Error).self) {
            try await store.withoutStatementDeadline { try await $0.query("SELECT no_such_column", logger: store.logger) }
        }
        #expect(try await Self.statementTimeout(store) == deadline)
    }

    private static func statementTimeout(_ store: PostgresStore) async throws -> String? {
        try await store.withConnection { connection in
            try await connection.query("SHOW statement_timeout", logger: store.logger).collect().first?.decode(String.self)
        }
    }

    @Test func vacuumingGivesEveryTableOfTheStoresSchemaItsStatisticsAndNoOtherSchemas() async throws {
        let (vacuumed, other) = (try await TestScratch.postgresLocation(), try await TestScratch.postgresLocation())
        let store = try PostgresStore(location: vacuumed, maximumConnections: 1)
        try await store.migrate()
        try await PostgresStore(location: other, maximumConnections: 1).migrate()
        #expect(try await count("c.reltuples < 0", vacuumed) > 0)

        try await store.vacuumAndAnalyzeTables()

        #expect(try await count("c.reltuples < 0", vacuumed) == 0)
        #expect(try await count("c.reltuples < 0", other) == (try await count("true", other)))
    }

    @Test func autovacuumIsTurnedOffForTheStoresTablesOnly() async throws {
        let (paused, other) = (try await TestScratch.postgresLocation(), try await TestScratch.postgresLocation())
        let store = try PostgresStore(location: paused, maximumConnections: 1)
        try await store.migrate()
        try await PostgresStore(location: other, maximumConnections: 1).migrate()
        let off = "'autovacuum_enabled=false' = ANY(c.reloptions)"

        #expect(try await count(off, paused) == 0)

        try await store.turnOffAutovacuum()

        #expect(try await count(off, paused) == (try await count("true", paused)))
        #expect(try await count(off, other) == 0)
    }

    /// Tables of `location`'s schema that meet `condition` on `pg_class c`; a table never vacuumed
    /// nor analyzed has no row count in the catalogue (`reltuples` -1).
    private func count(_ condition: String, _ location: PostgresLocation) async throws -> Int {
        let rows = try await TestScratch.rowsOnCluster(
            "SELECT count(*)::int8 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = '\(location.schema ?? "")' AND c.relkind = 'r' AND \(condition)")
        return Int(try rows.first?.decode(Int64.self) ?? -1)
    }
}
