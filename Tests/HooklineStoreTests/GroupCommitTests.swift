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

    /// A batch runs as one transaction, each write once; when one of its writes fails, the batch
    /// is rolled back and run again with each write in a savepoint, so the others still commit and
    /// the failing one reports its own error. A batch of one that fails is not run again.
    @Test func aBatchRunsOnceUnlessOneOfItsWritesFails() async throws {
        let (_, pool) = try await temporaryPool("group-commit", columns: "n INTEGER PRIMARY KEY")
        let commit = GroupCommit(writer: pool)
        let runs = Runs()
        let clean = try await Self.oneBatch(commit, 0..<5, failing: nil, runs: runs)
        #expect((0..<5).allSatisfy { clean[$0] == true })
        #expect(runs.counts(0..<5) == [1, 1, 1, 1, 1])
        let mixed = try await Self.oneBatch(commit, 10..<15, failing: 12, runs: runs)
        #expect(mixed.filter { !$0.value }.map(\.key) == [12])
        // Those after the failing write had not run when the batch was rolled back.
        #expect(runs.counts(10..<15) == [2, 2, 2, 1, 1])
        let alone = try await Self.oneBatch(commit, 20..<21, failing: 20, runs: runs)
        #expect(alone[20] == false)
        #expect(runs.counts(20..<21) == [1])
        let kept = try await pool.read { db in try Int.fetchAll(db, sql: "SELECT n FROM t ORDER BY n") }
        #expect(kept == [0, 1, 2, 3, 4, 10, 11, 13, 14])
    }

    private struct Refused: Error {}

    /// How many times each write ran.
    private final class Runs: Sendable {
        private let state = Mutex([Int: Int]())
        func ran(_ n: Int) { state.withLock { $0[n, default: 0] += 1 } }
        func counts(_ numbers: Range<Int>) -> [Int] { state.withLock { state in numbers.map { state[$0] ?? 0 } } }
    }

    /// Writes `numbers` (one insert each, `failing` throwing after its insert) in one batch: a
    /// write holds the writer until they all wait. Answers whether each succeeded.
    private static func oneBatch(_ commit: GroupCommit, _ numbers: Range<Int>, failing: Int?, runs: Runs) async throws -> [Int: Bool] {
        let (holding, release) = (Flag(), Flag())
        return try await withThrowingTaskGroup(of: (Int, Bool).self) { group in
            group.addTask {
                try await commit.write { _ in
                    holding.set()
                    while !release.isSet { usleep(1_000) }
                }
                return (-1, true)
            }
            while !holding.isSet { try await Task.sleep(for: .milliseconds(1)) }
            let deadline = ContinuousClock.now + .seconds(60)
            for (index, n) in numbers.enumerated() {
                // One at a time, so that the batch holds them in this order.
                while commit.waitingWrites < index, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(1)) }
                group.addTask {
                    do {
                        try await commit.write { db in
                            runs.ran(n)
                            try db.execute(sql: "INSERT INTO t (n) VALUES (?)", arguments: [n])
                            if n == failing { throw Refused() }
                        }
                        return (n, true)
                    } catch is Refused {
                        return (n, false)
                    }
                }
            }
            while commit.waitingWrites < numbers.count, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(1)) }
            release.set()
            return try await group.reduce(into: [:]) { $0[$1.0] = $1.1 }.filter { $0.key >= 0 }
        }
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
final class Flag: Sendable {
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
