import HooklineCore
import PostgresNIO

extension PostgresStore {
    public func reserveSignIn(key: String, now: Timestamp) async throws -> SignInThrottle.Reservation {
        try await transaction { [logger] connection in
            let cutoff = now.adding(seconds: -SignInThrottle.forgetAfter).millisecondsSince1970
            try await connection.run(
                """
                DELETE FROM sign_in_throttles WHERE key IN (
                    SELECT key FROM sign_in_throttles WHERE last_failure < \(cutoff) AND reserved_until <= \(now.millisecondsSince1970)
                    LIMIT 16 FOR UPDATE SKIP LOCKED)
                """, logger: logger)
            // The row exists before it is locked, so concurrent reservations for one key queue on its lock.
            try await connection.run("INSERT INTO sign_in_throttles (key, failures) VALUES (\(key), 0) ON CONFLICT (key) DO NOTHING", logger: logger)
            let row = try await connection.rows("SELECT * FROM sign_in_throttles WHERE key = \(key) FOR UPDATE", logger: logger).first
            var throttle = try row.map(Self.throttle) ?? SignInThrottle()
            let reservation = throttle.reserve(now: now)
            try await connection.run(
                """
                UPDATE sign_in_throttles SET failures = \(throttle.failures), last_failure = \(throttle.lastFailure?.millisecondsSince1970),
                    reserved_until = \(throttle.reservedUntil?.millisecondsSince1970)
                WHERE key = \(key)
                """, logger: logger)
            return reservation
        }
    }

    public func clearSignIn(key: String) async throws {
        try await transaction { [logger] connection in
            try await connection.run("DELETE FROM sign_in_throttles WHERE key = \(key)", logger: logger)
        }
    }

    static func throttle(_ row: PostgresRandomAccessRow) throws -> SignInThrottle {
        SignInThrottle(failures: try row.column("failures"), lastFailure: try row.optionalTime("last_failure"), reservedUntil: try row.optionalTime("reserved_until"))
    }
}
