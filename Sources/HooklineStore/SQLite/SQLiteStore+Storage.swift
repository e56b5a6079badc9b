import GRDB
import HooklineCore

/// Writes that fail because the database cannot grow (a full disk, or `max_page_count`) say so,
/// and the store remembers it until a write succeeds again, for readiness and metrics.
extension SQLiteStore {
    /// A write in a transaction of its own.
    func write<T: Sendable>(_ updates: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await guardingStorage { try await pool.write(updates) }
    }

    /// A write through group commit.
    func groupWrite<T: Sendable>(
        durability: GroupCommit.Durability = .onDisk, _ work: @escaping @Sendable (Database) throws -> T
    ) async throws -> T {
        try await guardingStorage { try await groupCommit.write(durability: durability, work) }
    }

    private func guardingStorage<T>(_ operation: () async throws -> T) async throws -> T {
        do {
            let value = try await operation()
            fullStorage.withLock { if $0 != nil { $0 = nil } }
            return value
        } catch let error as DatabaseError where error.resultCode == .SQLITE_FULL {
            let problem = "the database cannot grow (disk full or size limit reached); nothing of this request was stored"
            fullStorage.withLock { $0 = problem }
            throw StoreError.storageFull(problem)
        }
    }

    /// Once a write has failed for want of space, each call tries to allocate a few pages in a
    /// transaction it rolls back: space that has come back clears the problem without waiting for
    /// the next real write.
    public func storageProblem() async -> String? {
        guard fullStorage.withLock({ $0 }) != nil else { return nil }
        do {
            try await pool.writeWithoutTransaction { db in
                try db.inTransaction {
                    try db.execute(sql: "INSERT OR REPLACE INTO settings (key, value) VALUES ('storage-probe', zeroblob(65536))")
                    return .rollback
                }
            }
            fullStorage.withLock { $0 = nil }
            return nil
        } catch {
            return fullStorage.withLock { $0 }
        }
    }
}
