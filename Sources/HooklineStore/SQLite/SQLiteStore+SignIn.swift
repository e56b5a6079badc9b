import GRDB
import HooklineCore

extension SQLiteStore {
    public func reserveSignIn(key: String, now: Timestamp) async throws -> SignInThrottle.Reservation {
        // One writer at a time: the read and the write below see no other reservation between them.
        try await write { db in
            try db.execute(
                sql: "DELETE FROM sign_in_throttles WHERE key IN (SELECT key FROM sign_in_throttles WHERE last_failure < ? AND reserved_until <= ? LIMIT 16)",
                arguments: [now.adding(seconds: -SignInThrottle.forgetAfter).millisecondsSince1970, now.millisecondsSince1970])
            var throttle = try Row.fetchOne(db, sql: "SELECT * FROM sign_in_throttles WHERE key = ?", arguments: [key]).map(Self.throttle) ?? SignInThrottle()
            let reservation = throttle.reserve(now: now)
            try db.execute(
                sql: """
                    INSERT INTO sign_in_throttles (key, failures, last_failure, reserved_until) VALUES (?, ?, ?, ?)
                    ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, last_failure = excluded.last_failure, reserved_until = excluded.reserved_until
                    """,
                arguments: [key, throttle.failures, throttle.lastFailure?.millisecondsSince1970, throttle.reservedUntil?.millisecondsSince1970])
            return reservation
        }
    }

    public func clearSignIn(key: String) async throws {
        try await write { db in try db.execute(sql: "DELETE FROM sign_in_throttles WHERE key = ?", arguments: [key]) }
    }

    static func throttle(_ row: Row) -> SignInThrottle {
        SignInThrottle(
            failures: row["failures"], lastFailure: (row["last_failure"] as Int64?).map(Timestamp.init(millisecondsSince1970:)),
            reservedUntil: (row["reserved_until"] as Int64?).map(Timestamp.init(millisecondsSince1970:)))
    }
}
