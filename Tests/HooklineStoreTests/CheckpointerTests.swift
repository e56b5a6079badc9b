import Foundation
import GRDB
import Testing
@testable import HooklineStore

@Suite struct CheckpointerTests {
    /// Under back-to-back commits the WAL is copied into the database by the checkpointer's own
    /// connection, and the writer's checkpoint past its threshold keeps the WAL from growing
    /// without end. Nothing written is lost on the way.
    @Test func checkpointsRunBesideTheWriterAndTheWALStaysBounded() async throws {
        let (path, pool) = try await temporaryPool("checkpointer", columns: "n INTEGER PRIMARY KEY, body BLOB NOT NULL")
        let checkpointer = try Checkpointer(path: path, backgroundCheckpointFrames: 16, writerCheckpointFrames: 128)
        try await pool.writeWithoutTransaction { db in checkpointer.install(on: db) }

        let pageSize = try await pool.read { db in try Int.fetchOne(db, sql: "PRAGMA page_size") ?? 4096 }
        let walPath = path + "-wal"
        var largestWAL = 0
        for transaction in 0..<300 {
            try await pool.write { db in
                for row in 0..<4 {
                    try db.execute(
                        sql: "INSERT INTO t (n, body) VALUES (?, ?)", arguments: [transaction * 4 + row, Data(repeating: UInt8(row), count: 3000)])
                }
            }
            let size = (try FileManager.default.attributesOfItem(atPath: walPath)[.size] as? Int) ?? 0
            largestWAL = max(largestWAL, size)
        }

        #expect(checkpointer.completedBackgroundCheckpoints > 0)
        // 128 frames (a page and a header each) and one transaction's; without the writer's own
        // checkpoint it grew to megabytes here, and SQLite's would have let it reach a thousand.
        let bound = (128 + 16) * (pageSize + 24) + 32
        #expect(largestWAL <= bound, "WAL reached \(largestWAL) bytes, bound \(bound)")

        try await pool.writeWithoutTransaction { db in checkpointer.uninstall(from: db) }
        let reopened = try DatabaseQueue(path: path)
        let (count, check) = try await reopened.read { db in
            (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM t"), try String.fetchOne(db, sql: "PRAGMA integrity_check"))
        }
        #expect(count == 1200)
        #expect(check == "ok")
    }

    /// A writer that is never idle: commits back to back from many callers, so a background
    /// checkpoint never reaches the WAL's end on its own. The writer finishes what the catch-up
    /// left and the WAL starts over, with the writer's own threshold out of reach (before, it grew
    /// with every commit until that threshold). How often it starts over depends on how fast the
    /// copy runs beside the writer, which a busy machine slows: the test asks for once.
    @Test func aBusyWriterStartsTheWALOverAfterEachCatchUp() async throws {
        let (path, pool) = try await temporaryPool("checkpoint-catch-up", columns: "n INTEGER PRIMARY KEY, body BLOB NOT NULL")
        let checkpointer = try Checkpointer(path: path, backgroundCheckpointFrames: 64, writerCheckpointFrames: 1_000_000)
        try await pool.writeWithoutTransaction { db in checkpointer.install(on: db) }
        let restartsBefore = try Self.walRestarts(path)

        try await withThrowingTaskGroup(of: Void.self) { group in
            for caller in 0..<8 {
                group.addTask {
                    for n in 0..<200 {
                        try await pool.write { db in
                            try db.execute(sql: "INSERT INTO t (n, body) VALUES (?, ?)", arguments: [caller * 1000 + n, Data(repeating: 7, count: 3000)])
                        }
                    }
                }
            }
            try await group.waitForAll()
        }

        #expect(checkpointer.completedBackgroundCheckpoints > 0)
        #expect(try Self.walRestarts(path) > restartsBefore, "the WAL never started over")

        try await pool.writeWithoutTransaction { db in checkpointer.uninstall(from: db) }
        let (count, check) = try await pool.read { db in
            (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM t"), try String.fetchOne(db, sql: "PRAGMA integrity_check"))
        }
        #expect(count == 1600)
        #expect(check == "ok")
    }

    /// A quiet hour: commits of a frame or two, each arriving after the last checkpoint ended,
    /// while a reader's snapshot keeps the WAL from being copied whole and starting over. A
    /// background checkpoint starts once per threshold's worth of new frames, not at every commit
    /// past the threshold: each one syncs the WAL again.
    @Test func aBackgroundCheckpointStartsOncePerThresholdOfNewFrames() async throws {
        let (path, pool) = try await temporaryPool("checkpoint-cadence", columns: "n INTEGER PRIMARY KEY, body TEXT NOT NULL")
        let threshold: Int32 = 16
        let checkpointer = try Checkpointer(path: path, backgroundCheckpointFrames: threshold, writerCheckpointFrames: 1_000_000)
        try await pool.writeWithoutTransaction { db in checkpointer.install(on: db) }
        var readerConfiguration = Configuration()
        readerConfiguration.allowsUnsafeTransactions = true
        let reader = try DatabaseQueue(path: path, configuration: readerConfiguration)
        try await reader.writeWithoutTransaction { db in
            try db.execute(sql: "BEGIN")
            _ = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM t")
        }

        for n in 0..<200 {
            try await pool.write { db in try db.execute(sql: "INSERT INTO t (n, body) VALUES (?, 'x')", arguments: [n]) }
            // Time for a checkpoint the commit started to end before the next commit.
            try await Task.sleep(for: .milliseconds(3))
        }

        let started = checkpointer.completedBackgroundCheckpoints
        #expect(started >= 1)
        // The reader's snapshot kept the WAL from starting over: it holds every frame written.
        let pageSize = try await pool.read { db in try Int.fetchOne(db, sql: "PRAGMA page_size") ?? 4096 }
        let walSize = (try FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int) ?? 0
        let frames = (walSize - 32) / (pageSize + 24)
        #expect(started <= frames / Int(threshold) + 1, "\(started) background checkpoints for \(frames) frames")

        try await reader.writeWithoutTransaction { db in try db.execute(sql: "COMMIT") }
        try await pool.writeWithoutTransaction { db in checkpointer.uninstall(from: db) }
    }

    /// The file the WAL leaves behind after a burst is cut back to the limit when the WAL starts over.
    @Test func aStoreLimitsItsWALFile() async throws {
        let store = try SQLiteStore(path: temporaryDatabasePath("wal-limit"))
        let limit = try await store.pool.write { db in try Int.fetchOne(db, sql: "PRAGMA journal_size_limit") }
        #expect(limit == SQLiteStore.walFileLimit)
    }

    /// The WAL header's checkpoint sequence number, which SQLite advances each time the WAL starts
    /// over (big-endian, at byte 12).
    static func walRestarts(_ path: String) throws -> UInt32 {
        let header = try Data(contentsOf: URL(fileURLWithPath: path + "-wal")).prefix(16)
        guard header.count == 16 else { return 0 }
        return header.suffix(4).reduce(0) { $0 << 8 | UInt32($1) }
    }
}
