import GRDB
import GRDBSQLite
import Synchronization

/// Moves WAL checkpoints off the writer. SQLite's own checkpoint runs on the connection that
/// committed, so every thousand pages one batch of writes waited while four megabytes were copied
/// into the database file and synced: the writer is the one serial path of the store. Here the
/// writer's WAL hook only asks a connection of its own to checkpoint, passively, beside it.
///
/// A passive checkpoint that runs beside a busy writer seldom catches up with it, and SQLite
/// starts the WAL over only after a checkpoint reached its end and before the writer's next
/// commit. So a background checkpoint catches up in passes, and the writer's next commit copies
/// the few frames left (at most `writerFinishFrames`); the writer's transaction after that starts
/// the WAL over, unless a reader still uses its frames. Past `writerCheckpointFrames`, which
/// readers holding the WAL can still bring about, the writer checkpoints itself the way SQLite
/// would, after waiting for a background checkpoint under way: the WAL stays within the threshold
/// and one transaction.
///
/// A background checkpoint starts once per `backgroundCheckpointFrames` frames the WAL gained, not
/// at every commit past the threshold: at a low rate the writer commits again before a checkpoint
/// ends, so the WAL is seldom copied whole and does not start over, and a checkpoint at every
/// commit synced the WAL once more per commit (706 times for 1,004 events at 100 a second).
final class Checkpointer: Sendable {
    let backgroundCheckpointFrames: Int32
    let writerCheckpointFrames: Int32

    private let connection: DatabaseQueue
    private let running = Atomic(false)
    /// The WAL's frames when the last background checkpoint started.
    private let startedAtFrames = Atomic<Int32>(0)
    /// Held while a checkpoint copies: SQLite's checkpoint lock makes a second one give up at once
    /// instead of waiting.
    private let copying = Mutex(())
    private let backgroundCheckpoints = Atomic(0)
    /// The frames the last background catch-up copied, until the writer's next commit decides
    /// whether to finish it; 0 otherwise.
    private let caughtUpTo = Atomic<Int32>(0)

    /// Background checkpoints that ran to their end.
    var completedBackgroundCheckpoints: Int { backgroundCheckpoints.load(ordering: .relaxed) }

    /// Two thousand frames (8 MB of 4 KB pages) between background checkpoints, twice SQLite's
    /// own. Each background checkpoint syncs the database file while the writer syncs the WAL,
    /// and every ingest waits for a WAL sync: at 1,000 events a second, half as many checkpoints
    /// took the median ingest-to-delivery latency from 3.6 to 3.0 ms (ten alternating pairs,
    /// 2026-12-07).
    static let defaultBackgroundCheckpointFrames: Int32 = 2000
    /// Eight times the background threshold (64 MB): nearer, the writer's checkpoint waits behind
    /// a background one still copying (at 4,000 against 8,000, one delivery waited 571 ms).
    static let defaultWriterCheckpointFrames: Int32 = 16000
    /// At most this many frames (1 MB) left by a catch-up are the writer's to copy: a few
    /// milliseconds of copying and syncing, once per background checkpoint.
    static let writerFinishFrames: Int32 = 256
    /// Each pass of a catch-up copies what arrived during the last, so a few reach the writer's
    /// latest commits unless the writer outpaces the copy.
    static let maximumCatchUpPasses = 4

    init(
        path: String, backgroundCheckpointFrames: Int32 = defaultBackgroundCheckpointFrames, writerCheckpointFrames: Int32 = defaultWriterCheckpointFrames
    ) throws {
        self.backgroundCheckpointFrames = backgroundCheckpointFrames
        self.writerCheckpointFrames = writerCheckpointFrames
        var configuration = Configuration()
        configuration.label = "Hookline.checkpoint"
        // CI once failed a reopen at once with "database is locked" when this one did not wait.
        configuration.busyMode = SQLiteStore.busyMode
        connection = try DatabaseQueue(path: path, configuration: configuration)
    }

    /// Installs the hook on the writer's connection, which holds the checkpointer until
    /// `uninstall(from:)`.
    func install(on writer: Database) {
        let context = Unmanaged.passRetained(self).toOpaque()
        sqlite3_wal_hook(writer.sqliteConnection, { context, writer, name, frames in
            guard let context else { return SQLITE_OK }
            let checkpointer = Unmanaged<Checkpointer>.fromOpaque(context).takeUnretainedValue()
            func checkpointHere() { _ = sqlite3_wal_checkpoint_v2(writer, name, SQLITE_CHECKPOINT_PASSIVE, nil, nil) }
            if frames >= checkpointer.writerCheckpointFrames {
                checkpointer.copying.withLock { _ in checkpointHere() }
            } else if checkpointer.writerFinishes(at: frames) {
                _ = checkpointer.copying.withLockIfAvailable { _ in checkpointHere() }
            } else if frames >= checkpointer.backgroundCheckpointFrames {
                checkpointer.checkpointInBackground(frames: frames)
            }
            // An error here would fail the statement whose commit already happened, and with it
            // every write of the batch; a checkpoint that failed loses nothing. SQLite's own hook
            // ignores it too.
            return SQLITE_OK
        }, context)
    }

    func uninstall(from writer: Database) {
        if let context = sqlite3_wal_hook(writer.sqliteConnection, nil, nil) {
            Unmanaged<Checkpointer>.fromOpaque(context).release()
        }
    }

    /// Called on the writer's thread only, after a commit that left `frames` in the WAL.
    private func checkpointInBackground(frames: Int32) {
        let last = startedAtFrames.load(ordering: .relaxed)
        // Fewer frames than then: the WAL started over since. A WAL that started over and already
        // holds more than it did then is taken for the same one: its next checkpoint starts at
        // most one threshold late, and the writer's own bound still holds.
        let gained = frames >= last ? frames - last : frames
        guard gained >= backgroundCheckpointFrames else { return }
        guard running.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged else { return }
        startedAtFrames.store(frames, ordering: .relaxed)
        connection.asyncWriteWithoutTransaction { db in
            // A failed checkpoint loses nothing: the WAL keeps the pages and the next one copies them.
            if let copied = try? self.copying.withLock({ _ in try Self.catchUp(db) }) {
                self.caughtUpTo.store(copied, ordering: .relaxed)
                self.backgroundCheckpoints.add(1, ordering: .relaxed)
            }
            self.running.store(false, ordering: .releasing)
        }
    }

    /// Passive checkpoints, each copying what the writer committed during the one before, until
    /// one copies nothing more; returns the frames copied. Without them a writer that commits
    /// every few milliseconds keeps the WAL from starting over until the writer's own threshold,
    /// where it copies the rest and syncs the database file while every ingest waits (40 to
    /// 110 ms every 16,000 frames at 1,000 events a second).
    private static func catchUp(_ db: Database) throws -> Int32 {
        var checkpointed = -1
        for _ in 0..<maximumCatchUpPasses {
            let pass = try db.checkpoint(.passive)
            if pass.checkpointedFrameCount == checkpointed { break }
            checkpointed = pass.checkpointedFrameCount
        }
        return Int32(clamping: checkpointed)
    }

    /// Whether the writer, right after a commit that left `frames` in the WAL, copies the few
    /// frames a background catch-up left: its checkpoint then reaches the end and syncs the
    /// database file (little of which the catch-up left unsynced), and the writer's next
    /// transaction starts the WAL over, unless a reader still uses its frames. Called on the
    /// writer's thread only.
    private func writerFinishes(at frames: Int32) -> Bool {
        let copied = caughtUpTo.exchange(0, ordering: .relaxed)
        guard copied > 0 else { return false }
        // Fewer frames than were copied: the WAL started over already.
        return frames >= copied && frames - copied <= Self.writerFinishFrames
    }
}
