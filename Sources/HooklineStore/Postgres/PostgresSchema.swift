import Foundation
import Logging
import PostgresNIO

/// The PostgreSQL schema, as numbered migrations applied in order (`migrations`, in
/// PostgresSchema+Migrations.swift). Times are milliseconds since 1970 (UTC); JSON documents are
/// text. Each migration runs in the transaction that records it, and an advisory lock makes
/// processes that start at once apply each migration exactly once.
enum PostgresSchema {
    struct Migration: Sendable {
        var version: Int
        var name: String
        var sql: String
        /// What SQL alone cannot say, run after `sql` in the same transaction.
        var rewrite: (@Sendable (PostgresConnection, Logger) async throws -> Void)? = nil
    }

    /// A fixed key for `pg_advisory_xact_lock`: "hookline" in ASCII.
    static let migrationLock: Int64 = 0x686f_6f6b_6c69_6e65

    static func rewriteScopes(connection: PostgresConnection, logger: Logger) async throws {
        let rows = try await connection.query("SELECT id, settings FROM webhooks FOR UPDATE", logger: logger).decode((String, String).self)
        var rewritten: [(String, String)] = []
        for try await (id, settings) in rows {
            if let migrated = try ScopeMigration.migrated(settings) { rewritten.append((id, migrated)) }
        }
        for (id, settings) in rewritten {
            try await connection.query("UPDATE webhooks SET settings = \(settings), revision = revision + 1 WHERE id = \(id)", logger: logger)
        }
    }

    /// Applies the migrations the database lacks; answers the versions it applied.
    static func migrate(on connection: PostgresConnection, schema: String?, logger: Logger) async throws -> [Int] {
        try await connection.query("BEGIN", logger: logger)
        do {
            // Migrations may wait for another process's and build indexes on large tables: no
            // deadline of the pool's applies to them.
            try await connection.query("SET LOCAL statement_timeout = 0", logger: logger)
            try await connection.query("SET LOCAL lock_timeout = 0", logger: logger)
            try await connection.query("SELECT pg_advisory_xact_lock(\(migrationLock))", logger: logger)
            // The store checked the name: lower-case letters, digits and _.
            if let schema { try await connection.query(PostgresQuery(unsafeSQL: "CREATE SCHEMA IF NOT EXISTS \(schema)"), logger: logger) }
            try await connection.query(
                """
                CREATE TABLE IF NOT EXISTS hookline_migrations (
                    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())
                """, logger: logger)
            var applied = Set<Int>()
            for try await version in try await connection.query("SELECT version FROM hookline_migrations", logger: logger).decode(Int.self) {
                applied.insert(version)
            }
            var done: [Int] = []
            for migration in migrations where !applied.contains(migration.version) {
                // Statements one by one: the extended protocol takes one statement a query.
                for statement in migration.sql.components(separatedBy: ";\n") where !statement.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await migration.rewrite?(connection, logger)
                try await connection.query("INSERT INTO hookline_migrations (version, name) VALUES (\(migration.version), \(migration.name))", logger: logger)
                done.append(migration.version)
            }
            try await connection.query("COMMIT", logger: logger)
            return done
        } catch {
            await PostgresStore.rollback(connection, after: error, logger: logger)
            throw error
        }
    }
}
