import Foundation
import Synchronization
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

/// An exclusive `flock` on a file beside the database, held while the store is open: the kernel
/// drops it when the process ends, however it ends, so the next holder knows the last is gone.
final class DeliveryLock: Sendable {
    let path: String
    private let descriptor = Mutex<Int32?>(nil)

    init(databasePath: String) {
        path = databasePath + "-delivery.lock"
    }

    /// Whether this store holds the lock (taking it if it is free).
    func claim() -> Bool {
        descriptor.withLock { descriptor in
            if descriptor != nil { return true }
            let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
            guard fd >= 0 else { return false }
            guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
                close(fd)
                return false
            }
            descriptor = fd
            return true
        }
    }

    deinit {
        descriptor.withLock { descriptor in
            if let fd = descriptor { close(fd) }
        }
    }
}
