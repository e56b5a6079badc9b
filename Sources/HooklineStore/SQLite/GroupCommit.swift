import GRDB
import Synchronization

/// Group commit for SQLite: writes that arrive while a transaction is being committed wait and are
/// committed together in the next one, so many concurrent requests share one fsync. A write that
/// fails (a conflict, say) fails alone: the batch runs first as one transaction, and if one of its
/// writes throws, it is rolled back and run again with each write in a savepoint of its own. A
/// savepoint journals every page its write touches first, in memory; under load that cost 6 % of
/// the server's CPU, for failures that are rare.
///
/// The first caller to find the queue idle starts a drain, which commits batch after batch until
/// the queue is empty; every caller, that one included, waits only for its own result (under
/// steady load a drain goes on for long, and its starter once waited for all of it).
///
/// A write may therefore run twice, the first time rolled back: it must do nothing outside the
/// database that a second run would get wrong (claiming a worker's slots is fine: the worker gives
/// back what its lease did not use).
final class GroupCommit: Sendable {
    private struct State {
        var queue: [PendingWrite] = []
        var draining = false
    }

    /// A write waiting for its transaction. `run` runs it and stages its value; `fail` stages
    /// its failure instead.
    private struct PendingWrite: Sendable {
        let durability: Durability
        let run: @Sendable (Database) throws -> Void
        let fail: @Sendable (any Error) -> Void
        let finish: @Sendable ((any Error)?) -> Void
    }

    /// How a write shares its batch's transaction.
    private enum Isolation {
        /// As part of it: its failure rolls back the batch.
        case together
        /// In a savepoint: its failure rolls back its own changes.
        case savepoint
    }

    /// How far a write has gone when its caller hears that it committed.
    enum Durability: Sendable {
        /// On disk: the commit was synced (an accepted event, a change someone asked for).
        case onDisk
        /// With the operating system: it outlives the process, not the machine, until the next
        /// synced commit takes it to disk with its own. For what is done again if lost: a lost
        /// attempt record or lease sends its delivery again, at least once. A batch of only these
        /// spares the sync that a quiet hour otherwise pays twice per event.
        case withSystem
    }

    static let largestBatch = 512

    private let writer: any DatabaseWriter
    private let state = Mutex(State())

    init(writer: any DatabaseWriter) {
        self.writer = writer
    }

    /// Writes queued for the next batch.
    var waitingWrites: Int { state.withLock { $0.queue.count } }

    func write<T: Sendable>(durability: Durability = .onDisk, _ work: @escaping @Sendable (Database) throws -> T) async throws -> T {
        let outcome = Outcome<T>()
        let pending = PendingWrite(
            durability: durability,
            run: { db in outcome.stage(.success(try work(db))) },
            fail: { error in outcome.stage(.failure(error)) },
            finish: { commitError in outcome.finish(commitError) })
        let leads = state.withLock { state -> Bool in
            state.queue.append(pending)
            guard !state.draining else { return false }
            state.draining = true
            return true
        }
        if leads { commitNextBatch() }
        return try await outcome.value()
    }

    /// Commits what waits, then what came meanwhile, until nothing does. Each batch goes to the
    /// writer's queue and its completion, on that queue, answers the batch's callers and starts
    /// the next: no task and no hop back to the concurrency pool between batches, which at a low
    /// rate (a batch of one) cost two thread wake-ups per write. Nothing a caller's cancellation
    /// (a client that went away) can reach: it would fail every write of the batch.
    private func commitNextBatch() {
        let batch = state.withLock { state -> [PendingWrite] in
            let batch = Array(state.queue.prefix(Self.largestBatch))
            state.queue.removeFirst(batch.count)
            if batch.isEmpty { state.draining = false }
            return batch
        }
        if batch.isEmpty { return }
        let synced = batch.contains { $0.durability == .onDisk }
        writer.asyncWriteWithoutTransaction { db in
            var commitError: (any Error)?
            do {
                // The level cannot change inside a transaction; other writes on this connection
                // find it as it was.
                if !synced { try db.execute(sql: "PRAGMA synchronous = NORMAL") }
                defer { if !synced { try? db.execute(sql: "PRAGMA synchronous = FULL") } }
                do {
                    try Self.commit(batch, .together, db)
                } catch is WriteFailed {
                    // A batch of one has its outcome already: the write's own failure, staged.
                    if batch.count > 1 { try Self.commit(batch, .savepoint, db) }
                }
            } catch {
                commitError = error
            }
            for pending in batch { pending.finish(commitError) }
            self.commitNextBatch()
        }
    }
}

extension GroupCommit {
    /// A write of a batch run together failed; the transaction was rolled back.
    private struct WriteFailed: Error {}

    private static func commit(_ batch: [PendingWrite], _ isolation: Isolation, _ db: Database) throws {
        try db.inTransaction {
            for pending in batch {
                switch isolation {
                case .together:
                    do { try pending.run(db) } catch {
                        pending.fail(error)
                        throw WriteFailed()
                    }
                case .savepoint:
                    try runInSavepoint(pending, db)
                }
            }
            return .commit
        }
    }

    /// Runs a write in a savepoint of its own, so that its failure rolls back its changes alone.
    /// Throws only when the whole transaction ended (SQLite rolls back everything on some errors,
    /// such as a full disk): the writes after it must not run outside a transaction. The savepoint
    /// statements come from the statement cache: GRDB's `inSavepoint` prepares them anew each time,
    /// a noticeable share of a busy writer's time.
    private static func runInSavepoint(_ pending: PendingWrite, _ db: Database) throws {
        do {
            try db.run(sql: "SAVEPOINT groupCommitWrite")
            try pending.run(db)
            try db.run(sql: "RELEASE SAVEPOINT groupCommitWrite")
        } catch {
            // The write's own error is the one to report; a rollback that fails too ends the
            // transaction, and with it the batch.
            pending.fail(error)
            guard db.isInsideTransaction else { throw error }
            try db.run(sql: "ROLLBACK TO SAVEPOINT groupCommitWrite")
            try db.run(sql: "RELEASE SAVEPOINT groupCommitWrite")
        }
    }
}

/// The result of one write: staged inside the transaction, delivered once it committed.
private final class Outcome<T: Sendable>: Sendable {
    private struct State {
        var staged: Result<T, any Error>?
        var final: Result<T, any Error>?
        var waiter: CheckedContinuation<T, any Error>?
    }

    private let state = Mutex(State())

    func stage(_ result: Result<T, any Error>) {
        state.withLock { $0.staged = result }
    }

    /// After the commit (or its failure, which fails every write of the batch).
    func finish(_ commitError: (any Error)?) {
        let (waiter, result) = state.withLock { state -> (CheckedContinuation<T, any Error>?, Result<T, any Error>) in
            let result: Result<T, any Error> = commitError.map { .failure($0) } ?? state.staged ?? .failure(CancellationError())
            state.final = result
            defer { state.waiter = nil }
            return (state.waiter, result)
        }
        waiter?.resume(with: result)
    }

    func value() async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let ready = state.withLock { state -> Result<T, any Error>? in
                if let final = state.final { return final }
                state.waiter = continuation
                return nil
            }
            if let ready { continuation.resume(with: ready) }
        }
    }
}
