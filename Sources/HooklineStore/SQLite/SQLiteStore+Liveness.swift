import GRDB
import HooklineCore

extension SQLiteStore {
    public func heartbeat(owner: String, now: Timestamp) async throws {
        try await write { db in
            try db.run(
                sql: """
                    INSERT INTO workers (owner, started_at, heartbeat_at) VALUES (?, ?, ?)
                    ON CONFLICT (owner) DO UPDATE SET heartbeat_at = excluded.heartbeat_at
                    """,
                arguments: [owner, now.millisecondsSince1970, now.millisecondsSince1970])
        }
    }

    public func releaseLeasesOfSilentWorkers(silentBefore: Timestamp, now: Timestamp) async throws -> Int {
        try await write { db in
            let released = try Self.releaseLeases(
                where: "lease_owner NOT IN (SELECT owner FROM workers WHERE heartbeat_at >= ?)", [silentBefore.millisecondsSince1970], now: now, db: db)
            try db.run(sql: "DELETE FROM workers WHERE heartbeat_at < ?", arguments: [silentBefore.millisecondsSince1970])
            return released
        }
    }

    /// One writer moves every due time in the transaction that makes it: none is left late.
    public func sweepLateDueTimes(now: Timestamp) async throws {}

    /// Triggers keep the count itself.
    public func foldPendingCount() async throws {}

    public func claimSoleDelivery(owner: String) async throws -> Bool {
        deliveryLock.claim()
    }

    public func releaseLeases(notHeldBy owner: String, now: Timestamp) async throws -> Int {
        try await write { db in
            let released = try Self.releaseLeases(where: "lease_owner <> ?", [owner], now: now, db: db)
            try db.run(sql: "DELETE FROM workers WHERE owner <> ?", arguments: [owner])
            return released
        }
    }
}
