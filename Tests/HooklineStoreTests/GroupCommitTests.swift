import Foundation
import GRDB
import Synchronization
import Testing
@testable import HooklineStore

@Suite struct GroupCommitTests {
    /// Writes that share a transaction are undone one by one: one that fails after writing leaves
    /// nothing behind, and the others are kept.
    @Test func aFailedWriteIsRolledBackAloneInTheTransactionItShares() async throws {
        let (_, pool) = try await temporaryPool("group-commit", columns: "n INTEGER PRIMARY KEY")
        let commit = GroupCommit(writer: pool)
        struct Refused: Error {}
        let outcomes = await withTaskGroup(of: Bool.self) { group in
            for n in 0..<40 {
                group.addTask {
                    do {
                        try await commit.write { db in
                            try db.execute(sql: "INSERT INTO t (n) VALUES (?)", arguments: [n])
                            if n.isMultiple(of: 3) { throw Refused() }
                        }
                        return true
                    } catch {
                        return false
                    }
                }
            }
            return await group.reduce(into: 0) { $0 += $1 ? 1 : 0 }
        }
        let kept = try await pool.read { db in try Int.fetchAll(db, sql: "SELECT n FROM t ORDER BY n") }
        #expect(outcomes == 26)
        #expect(kept == (0..<40).filter { !$0.isMultiple(of: 3) })
        // The savepoint is gone with each write: the next transaction starts clean.
        try await commit.write { db in try db.execute(sql: "INSERT INTO t (n) VALUES (100)") }
        #expect(try await pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM t") } == 27)
    }

    /// Under steady load the drain goes on batch after batch: the caller that started it gets its
    /// answer when its own batch commits, not when the queue is at last empty.
    @Test func aWriteIsAnsweredWhenItsBatchCommitsWhileTheDrainGoesOn() async throws {
        let (_, pool) = try await temporaryPool("group-commit", columns: "n INTEGER PRIMARY KEY")
        let commit = GroupCommit(writer: pool)
        let (laterWriteQueued, firstAnswered) = (Flag(), Flag())
        try await withThrowingTaskGroup { group in
            group.addTask {
                try await commit.write { db in
                    // Keeps the first batch open until the next write waits behind it.
                    while !laterWriteQueued.isSet { usleep(1_000) }
                    usleep(20_000)
                    try db.execute(sql: "INSERT INTO t (n) VALUES (1)")
                }
                firstAnswered.set()
            }
            group.addTask {
                try await Task.sleep(for: .milliseconds(20))
                laterWriteQueued.set()
                // The next batch: it holds the writer until the first write has its answer (or 60 s:
                // on a loaded machine the answered task may wait long for a thread to resume on).
                let sawFirstAnswered = try await commit.write { db in
                    let deadline = ContinuousClock.now + .seconds(60)
                    while !firstAnswered.isSet, ContinuousClock.now < deadline { usleep(1_000) }
                    try db.execute(sql: "INSERT INTO t (n) VALUES (2)")
                    return firstAnswered.isSet
                }
                #expect(sawFirstAnswered)
            }
            try await group.waitForAll()
        }
        #expect(try await pool.read { db in try Int.fetchAll(db, sql: "SELECT n FROM t ORDER BY n") } == [1, 2])
    }

    /// A batch of writes that are done again if lost (attempt records, leases) commits without a
    /// sync; a batch with any other write syncs; the connection is left syncing for the writes
    /// outside group commit.
    @Test func onlyABatchOfWritesThatMayBeRedoneCommitsWithoutASync() async throws {
        let (_, pool) = try await temporaryPool("group-commit", columns: "n INTEGER PRIMARY KEY")
        try await pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        let commit = GroupCommit(writer: pool)
        // SQLite's levels: 1 NORMAL (no sync at a WAL commit), 2 FULL.
        let level: @Sendable (Database) throws -> Int = { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1 }
        #expect(try await commit.write(durability: .withSystem, level) == 1)
        #expect(try await pool.writeWithoutTransaction(level) == 2)
        #expect(try await commit.write(level) == 2)

        // One batch of both kinds: the first write holds the writer until the other two wait.
        let holding = Flag()
        let levels = try await withThrowingTaskGroup(of: Int.self) { group in
            group.addTask {
                try await commit.write { db in
                    holding.set()
                    let deadline = ContinuousClock.now + .seconds(60)
                    while commit.waitingWrites < 2, ContinuousClock.now < deadline { usleep(1_000) }
                    return 0
                }
            }
            group.addTask {
                while !holding.isSet { try await Task.sleep(for: .milliseconds(1)) }
                return try await commit.write(durability: .withSystem, level)
            }
            group.addTask {
                while !holding.isSet { try await Task.sleep(for: .milliseconds(1)) }
                return try await commit.write(level)
            }
            return try await group.reduce(into: [Int]()) { $0.append($1) }.sorted()
        }
        #expect(levels == [0, 2, 2])
        #expect(try await pool.writeWithoutTransaction(level) == 2)
    }
}

/// A flag one task raises and another, perhaps on the database's queue, looks at.
private final class Flag: Sendable {
    private let raised = Atomic<Bool>(false)
    var isSet: Bool { raised.load(ordering: .relaxed) }
    func set() { raised.store(true, ordering: .relaxed) }
}

@Suite struct SQLiteDurabilityTests {
    /// An accepted event must survive a power cut: the connection that commits syncs the WAL at
    /// every commit (FULL), whatever GRDB's WAL setup chose.
    @Test func theWriterSyncsEveryCommit() async throws {
        let path = temporaryDatabasePath("durability")
        let store = try SQLiteStore(path: path)
        try await store.migrate()
        let level = try await store.pool.write { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") }
        #expect(level == 2)
        let journal = try await store.pool.write { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
        #expect(journal == "wal")
    }
}
