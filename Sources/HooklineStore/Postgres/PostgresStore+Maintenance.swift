import PostgresNIO

/// What the bench asks of the server around its runs, so that each run meets the server in the
/// same state and pays for the upkeep its own writes made: what autovacuum and the checkpointer
/// would otherwise do at moments of their own, in whichever run those fall.
extension PostgresStore {
    /// Vacuums this store's tables and makes their statistics again, as autovacuum does once
    /// enough rows changed. Every connection's prepared statements are planned again at their
    /// next execution, on tables of their present size: the plans a connection made while its
    /// tables were nearly empty read them whole once they are not.
    public func vacuumAndAnalyzeTables() async throws {
        let logger = logger
        try await withoutStatementDeadline { connection in
            let tables = try await Self.tables(connection: connection, logger: logger)
            guard !tables.isEmpty else { return }
            try await connection.run(PostgresQuery(unsafeSQL: "VACUUM (ANALYZE) " + tables.joined(separator: ", ")), logger: logger)
        }
    }

    /// Turns autovacuum off for this store's tables, for a caller that vacuums them itself.
    public func turnOffAutovacuum() async throws {
        let logger = logger
        try await withConnection(answerWithin: nil) { connection in
            for table in try await Self.tables(connection: connection, logger: logger) {
                try await connection.run(
                    PostgresQuery(unsafeSQL: "ALTER TABLE \(table) SET (autovacuum_enabled = false, toast.autovacuum_enabled = false)"), logger: logger)
            }
        }
    }

    /// Writes every dirty buffer of the whole server out now (superuser or `pg_checkpoint`).
    /// A run that ends with one has paid for the pages it dirtied, and no checkpoint started by
    /// the server's timer lands in the next run.
    public func checkpoint() async throws {
        let logger = logger
        try await withoutStatementDeadline { try await $0.run("CHECKPOINT", logger: logger) }
    }

    /// Runs `body` on a connection without the pool's deadlines (`statementTimeout`): upkeep of
    /// a whole schema or server takes as long as the disk needs (a checkpoint took 22 s while a
    /// build was writing), and cancelling it saves nothing. The connection's deadline is back
    /// when it returns to the pool.
    func withoutStatementDeadline(_ body: @escaping @Sendable (PostgresConnection) async throws -> Void) async throws {
        let logger = logger
        try await withConnection(answerWithin: nil) { connection in
            try await connection.run("SET statement_timeout = 0", logger: logger)
            do {
                try await body(connection)
            } catch {
                try? await connection.run("RESET statement_timeout", logger: logger)
                throw error
            }
            try await connection.run("RESET statement_timeout", logger: logger)
        }
    }

    /// The tables of this store's schema, each quoted as an identifier.
    private static func tables(connection: PostgresConnection, logger: Logger) async throws -> [String] {
        let rows = try await connection.query(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename", logger: logger
        ).decode(String.self)
        var tables: [String] = []
        for try await table in rows { tables.append("\"" + table.replacingOccurrences(of: "\"", with: "\"\"") + "\"") }
        return tables
    }
}
