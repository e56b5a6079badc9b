import GRDB
import HooklineCore

extension SQLiteStore {
    public func insertSource(_ source: InboundSource, secretDigest: String) async throws {
        try await write { db in
            try db.execute(
                sql: """
                    INSERT INTO sources (id, account_id, name, kind, options, secret_digest, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    source.id, source.accountID, source.name, source.kind.rawValue, source.options.jsonText, secretDigest,
                    source.createdAt.millisecondsSince1970, source.updatedAt.millisecondsSince1970,
                ])
        }
    }

    public func source(id: String, accountID: String) async throws -> InboundSource? {
        try await pool.read { db in try Row.fetchOne(db, sql: "SELECT * FROM sources WHERE id = ? AND account_id = ?", arguments: [id, accountID]).map(Self.source) }
    }

    public func sources(accountID: String) async throws -> [InboundSource] {
        try await pool.read { db in try Row.fetchAll(db, sql: "SELECT * FROM sources WHERE account_id = ? ORDER BY id", arguments: [accountID]).map(Self.source) }
    }

    public func updateSource(_ source: InboundSource) async throws {
        try await write { db in
            try db.execute(
                sql: "UPDATE sources SET name = ?, options = ?, updated_at = ? WHERE id = ? AND account_id = ?",
                arguments: [source.name, source.options.jsonText, source.updatedAt.millisecondsSince1970, source.id, source.accountID])
            guard db.changesCount > 0 else { throw StoreError.notFound("source \(source.id) not found") }
        }
    }

    public func rotateSourceSecret(id: String, accountID: String, secretDigest: String, now: Timestamp) async throws -> Bool {
        try await write { db in
            try db.execute(
                sql: "UPDATE sources SET secret_digest = ?, updated_at = ? WHERE id = ? AND account_id = ?",
                arguments: [secretDigest, now.millisecondsSince1970, id, accountID])
            return db.changesCount > 0
        }
    }

    public func deleteSource(id: String, accountID: String) async throws -> Bool {
        try await write { db in
            try db.execute(sql: "DELETE FROM sources WHERE id = ? AND account_id = ?", arguments: [id, accountID])
            return db.changesCount > 0
        }
    }

    public func source(secretDigest: String) async throws -> InboundSource? {
        try await pool.read { db in try Row.fetchOne(db, sql: "SELECT * FROM sources WHERE secret_digest = ?", arguments: [secretDigest]).map(Self.source) }
    }

    public func countSourceRequest(id: String, refused: Bool) async throws {
        try await write { db in
            try db.execute(sql: refused ? "UPDATE sources SET refused = refused + 1 WHERE id = ?" : "UPDATE sources SET received = received + 1 WHERE id = ?", arguments: [id])
        }
    }

    static func source(_ row: Row) throws -> InboundSource {
        guard let kind = SourceKind(rawValue: row["kind"]) else { throw StoreError.conflict("source \(row["id"] as String) has an unknown kind") }
        return InboundSource(
            id: row["id"], accountID: row["account_id"], name: row["name"], kind: kind, options: try object(row["options"]), received: row["received"],
            refused: row["refused"], createdAt: Timestamp(millisecondsSince1970: row["created_at"]), updatedAt: Timestamp(millisecondsSince1970: row["updated_at"]))
    }
}
