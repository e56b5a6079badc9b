import PostgresNIO

/// What the whole PostgreSQL server has written since its statistics were reset, from
/// `pg_stat_bgwriter`. The bench reads it before and after each run: a checkpoint during a run
/// makes the first change of every page after it write the whole page to the WAL, and backends
/// that find no clean buffer write one out themselves, both on the run's CPU.
public struct PostgresServerActivity: Sendable {
    public var checkpoints: Int
    /// Buffers the backends wrote out themselves.
    public var backendBufferWrites: Int

    public static func - (after: Self, before: Self) -> Self {
        Self(checkpoints: after.checkpoints - before.checkpoints, backendBufferWrites: after.backendBufferWrites - before.backendBufferWrites)
    }
}

extension PostgresStore {
    public func serverActivity() async throws -> PostgresServerActivity {
        let logger = logger
        return try await withConnection { connection in
            let rows = try await connection.query(
                "SELECT (checkpoints_timed + checkpoints_req)::int8, buffers_backend::int8 FROM pg_stat_bgwriter", logger: logger
            ).decode((Int64, Int64).self)
            for try await (checkpoints, writes) in rows {
                return PostgresServerActivity(checkpoints: Int(checkpoints), backendBufferWrites: Int(writes))
            }
            return PostgresServerActivity(checkpoints: 0, backendBufferWrites: 0)
        }
    }
}
