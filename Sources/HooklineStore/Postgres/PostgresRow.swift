import HooklineCore
import Logging
import PostgresNIO
import Synchronization

extension PostgresRandomAccessRow {
    /// A column's value by name; an optional type reads NULL as nil.
    func column<T: PostgresDecodable>(_ name: String, as type: T.Type = T.self) throws -> T {
        try self[name].decode(T.self)
    }

    func time(_ name: String) throws -> Timestamp {
        Timestamp(millisecondsSince1970: try column(name, as: Int64.self))
    }

    func optionalTime(_ name: String) throws -> Timestamp? {
        try column(name, as: Int64?.self).map(Timestamp.init(millisecondsSince1970:))
    }
}

/// Statements this process sent to PostgreSQL, for `StoreStatistics.statementsSent`.
enum PostgresStatements {
    static let sent = Atomic<Int>(0)
}

extension PostgresConnection {
    /// The rows of a statement, read whole.
    func rows(_ query: PostgresQuery, logger: Logger) async throws -> [PostgresRandomAccessRow] {
        PostgresStatements.sent.add(1, ordering: .relaxed)
        return try await self.query(query, logger: logger).collect().map { $0.makeRandomAccess() }
    }

    /// Runs a statement whose rows (if any) are not needed.
    func run(_ query: PostgresQuery, logger: Logger) async throws {
        PostgresStatements.sent.add(1, ordering: .relaxed)
        try await self.query(query, logger: logger)
    }
}
