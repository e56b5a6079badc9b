import HooklineCore
import PostgresNIO

extension PostgresStore {
    public func createUser(_ user: User, passwordHash: String) async throws {
        let inserted = try await transaction { [logger] connection in
            try await connection.rows(
                """
                INSERT INTO users (id, account_id, email, role, password_hash, created_at)
                VALUES (\(user.id), \(user.accountID), \(user.email), \(user.role.rawValue), \(passwordHash), \(user.createdAt.millisecondsSince1970))
                ON CONFLICT (email) DO NOTHING RETURNING id
                """, logger: logger)
        }
        guard !inserted.isEmpty else { throw StoreError.conflict("the email \(user.email) cannot be used for a new user; choose another") }
    }

    public func credentials(email: String) async throws -> UserCredentials? {
        try await rows("SELECT * FROM users WHERE email = \(email)").first.map {
            UserCredentials(user: try Self.user($0), passwordHash: try $0.column("password_hash"))
        }
    }

    public func users(accountID: String) async throws -> [User] {
        try await rows("SELECT * FROM users WHERE account_id = \(accountID) ORDER BY email").map(Self.user)
    }

    public func deleteUser(id: String, accountID: String) async throws -> Bool {
        try await transaction { [logger] connection in
            // Its sessions go with it (ON DELETE CASCADE).
            try await !connection.rows("DELETE FROM users WHERE id = \(id) AND account_id = \(accountID) RETURNING id", logger: logger).isEmpty
        }
    }

    public func createSession(digest: String, userID: String, expiresAt: Timestamp, now: Timestamp) async throws {
        try await transaction { [logger] connection in
            try await connection.run("DELETE FROM sessions WHERE expires_at <= \(now.millisecondsSince1970)", logger: logger)
            try await connection.run(
                "INSERT INTO sessions (digest, user_id, expires_at) VALUES (\(digest), \(userID), \(expiresAt.millisecondsSince1970))", logger: logger)
        }
    }

    public func sessionUser(digest: String, now: Timestamp) async throws -> User? {
        try await rows(
            "SELECT u.* FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.digest = \(digest) AND s.expires_at > \(now.millisecondsSince1970)"
        ).first.map(Self.user)
    }

    public func deleteSession(digest: String) async throws {
        try await transaction { [logger] connection in
            try await connection.run("DELETE FROM sessions WHERE digest = \(digest)", logger: logger)
        }
    }

    static func user(_ row: PostgresRandomAccessRow) throws -> User {
        let id: String = try row.column("id")
        guard let role = User.Role(rawValue: try row.column("role")) else { throw StoreError.conflict("user \(id) has an unknown role") }
        return User(id: id, accountID: try row.column("account_id"), email: try row.column("email"), role: role, createdAt: try row.time("created_at"))
    }
}
