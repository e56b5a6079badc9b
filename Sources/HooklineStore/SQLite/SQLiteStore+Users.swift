import GRDB
import HooklineCore

extension SQLiteStore {
    public func createUser(_ user: User, passwordHash: String) async throws {
        do {
            try await write { db in
                try db.execute(
                    sql: "INSERT INTO users (id, account_id, email, role, password_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                    arguments: [user.id, user.accountID, user.email, user.role.rawValue, passwordHash, user.createdAt.millisecondsSince1970])
            }
        } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE {
            throw StoreError.conflict("the email \(user.email) cannot be used for a new user; choose another")
        }
    }

    public func credentials(email: String) async throws -> UserCredentials? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM users WHERE email = ?", arguments: [email]).map {
                UserCredentials(user: try Self.user($0), passwordHash: $0["password_hash"])
            }
        }
    }

    public func users(accountID: String) async throws -> [User] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM users WHERE account_id = ? ORDER BY email", arguments: [accountID]).map(Self.user)
        }
    }

    public func deleteUser(id: String, accountID: String) async throws -> Bool {
        try await write { db in
            try db.execute(sql: "DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE id = ? AND account_id = ?)", arguments: [id, accountID])
            try db.execute(sql: "DELETE FROM users WHERE id = ? AND account_id = ?", arguments: [id, accountID])
            return db.changesCount > 0
        }
    }

    public func createSession(digest: String, userID: String, expiresAt: Timestamp, now: Timestamp) async throws {
        try await write { db in
            try db.execute(sql: "DELETE FROM sessions WHERE expires_at <= ?", arguments: [now.millisecondsSince1970])
            try db.execute(
                sql: "INSERT INTO sessions (digest, user_id, expires_at) VALUES (?, ?, ?)", arguments: [digest, userID, expiresAt.millisecondsSince1970])
        }
    }

    public func sessionUser(digest: String, now: Timestamp) async throws -> User? {
        try await pool.read { db in
            try Row.fetchOne(
                db, sql: "SELECT u.* FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.digest = ? AND s.expires_at > ?",
                arguments: [digest, now.millisecondsSince1970]
            ).map(Self.user)
        }
    }

    public func deleteSession(digest: String) async throws {
        try await write { db in try db.execute(sql: "DELETE FROM sessions WHERE digest = ?", arguments: [digest]) }
    }

    static func user(_ row: Row) throws -> User {
        guard let role = User.Role(rawValue: row["role"]) else { throw StoreError.conflict("user \(row["id"] as String) has an unknown role") }
        return User(id: row["id"], accountID: row["account_id"], email: row["email"], role: role, createdAt: Timestamp(millisecondsSince1970: row["created_at"]))
    }
}
