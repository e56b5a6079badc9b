import HooklineCore
import PostgresNIO

extension PostgresStore {
    public func insertSource(_ source: InboundSource, secretDigest: String) async throws {
        try await transaction { [logger] connection in
            try await connection.run(
                """
                INSERT INTO sources (id, account_id, name, kind, options, secret_digest, created_at, updated_at)
                VALUES (\(source.id), \(source.accountID), \(source.name), \(source.kind.rawValue), \(source.options.jsonText), \(secretDigest),
                    \(source.createdAt.millisecondsSince1970), \(source.updatedAt.millisecondsSince1970))
                """, logger: logger)
        }
    }

    public func source(id: String, accountID: String) async throws -> InboundSource? {
        try await rows("SELECT * FROM sources WHERE id = \(id) AND account_id = \(accountID)").first.map(Self.source)
    }

    public func sources(accountID: String) async throws -> [InboundSource] {
        try await rows("SELECT * FROM sources WHERE account_id = \(accountID) ORDER BY id").map(Self.source)
    }

    public func updateSource(_ source: InboundSource) async throws {
        let updated = try await transaction { [logger] connection in
            try await connection.rows(
                """
                UPDATE sources SET name = \(source.name), options = \(source.options.jsonText), updated_at = \(source.updatedAt.millisecondsSince1970)
                WHERE id = \(source.id) AND account_id = \(source.accountID) RETURNING id
                """, logger: logger)
        }
        guard !updated.isEmpty else { throw StoreError.notFound("source \(source.id) not found") }
    }

    public func rotateSourceSecret(id: String, accountID: String, secretDigest: String, now: Timestamp) async throws -> Bool {
        try await transaction { [logger] connection in
            try await !connection.rows(
                "UPDATE sources SET secret_digest = \(secretDigest), updated_at = \(now.millisecondsSince1970) WHERE id = \(id) AND account_id = \(accountID) RETURNING id",
                logger: logger
            ).isEmpty
        }
    }

    public func deleteSource(id: String, accountID: String) async throws -> Bool {
        try await transaction { [logger] connection in
            try await !connection.rows("DELETE FROM sources WHERE id = \(id) AND account_id = \(accountID) RETURNING id", logger: logger).isEmpty
        }
    }

    public func source(secretDigest: String) async throws -> InboundSource? {
        try await rows("SELECT * FROM sources WHERE secret_digest = \(secretDigest)").first.map(Self.source)
    }

    public func countSourceRequest(id: String, refused: Bool) async throws {
        try await transaction { [logger] connection in
            try await connection.run(
                refused ? "UPDATE sources SET refused = refused + 1 WHERE id = \(id)" : "UPDATE sources SET received = received + 1 WHERE id = \(id)", logger: logger)
        }
    }

    static func source(_ row: PostgresRandomAccessRow) throws -> InboundSource {
        let id: String = try row.column("id")
        guard let kind = SourceKind(rawValue: try row.column("kind")) else { throw StoreError.conflict("source \(id) has an unknown kind") }
        return InboundSource(
            id: id, accountID: try row.column("account_id"), name: try row.column("name"), kind: kind, options: try object(try row.column("options")),
            received: Int(try row.column("received", as: Int64.self)), refused: Int(try row.column("refused", as: Int64.self)), createdAt: try row.time("created_at"),
            updatedAt: try row.time("updated_at"))
    }
}
