import GRDB
import HooklineCore

/// Bulk replays. A batch and the job's position are written in one write transaction, and SQLite
/// has one writer, so a delivery is replayed once per job whichever process runs the batch.
extension SQLiteStore {
    /// The filter's conditions on `d` with their arguments: the shared part, then the bound ids.
    private static func conditions(_ filter: ReplayFilter, accountID: String) -> (sql: String, arguments: [(any DatabaseValueConvertible)?]) {
        var sql = "d.account_id = ? AND " + ReplaySQL.fixedConditions(filter)
        var arguments: [(any DatabaseValueConvertible)?] = [accountID]
        if let webhookID = filter.webhookID {
            sql += " AND d.webhook_id = ?"
            arguments.append(webhookID)
        }
        if !filter.subjectIDs.isEmpty {
            sql += " AND d.subject_id IN (" + Array(repeating: "?", count: filter.subjectIDs.count).joined(separator: ", ") + ")"
            arguments += filter.subjectIDs.map { $0 as (any DatabaseValueConvertible)? }
        }
        return (sql, arguments)
    }

    public func replayPreview(accountID: String, filter: ReplayFilter) async throws -> [String: Int] {
        try await pool.read { db in
            let (conditions, arguments) = Self.conditions(filter, accountID: accountID)
            var counts: [String: Int] = [:]
            for row in try Row.fetchAll(
                db, sql: "SELECT d.webhook_id, COUNT(*) AS count FROM deliveries d WHERE \(conditions) GROUP BY d.webhook_id",
                arguments: StatementArguments(arguments))
            {
                counts[row["webhook_id"]] = row["count"]
            }
            return counts
        }
    }

    public func insertReplayJob(_ job: ReplayJob) async throws {
        let filter = try Self.encode(job.filter)
        try await write { db in
            try db.execute(
                sql: """
                    INSERT INTO replay_jobs (id, account_id, filter, status, total, replayed, cursor, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    job.id, job.accountID, filter, job.status.rawValue, job.total, job.replayed, job.cursor, job.createdAt.millisecondsSince1970,
                    job.updatedAt.millisecondsSince1970,
                ])
        }
    }

    public func replayJob(id: String, accountID: String) async throws -> ReplayJob? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM replay_jobs WHERE id = ? AND account_id = ?", arguments: [id, accountID]).map(Self.replayJob)
        }
    }

    public func replayJobs(accountID: String, limit: Int) async throws -> [ReplayJob] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM replay_jobs WHERE account_id = ? ORDER BY id DESC LIMIT ?", arguments: [accountID, limit]).map(Self.replayJob)
        }
    }

    public func cancelReplayJob(id: String, accountID: String, now: Timestamp) async throws -> ReplayJob? {
        try await write { db in
            guard let job = try Row.fetchOne(db, sql: "SELECT * FROM replay_jobs WHERE id = ? AND account_id = ?", arguments: [id, accountID]).map(Self.replayJob)
            else { return nil }
            let cancelled = job.cancelled(now: now)
            try Self.writeProgress(cancelled, db: db)
            return cancelled
        }
    }

    public func advanceReplayJobs(now: Timestamp, jobs: Int, batch: Int) async throws -> Int {
        try await write { db in
            var replayed = 0
            let running = try Row.fetchAll(db, sql: "SELECT * FROM replay_jobs WHERE status = 'running' ORDER BY created_at LIMIT ?", arguments: [jobs])
            for job in try running.map(Self.replayJob) {
                let ids = try Self.replayBatch(of: job, size: batch, now: now, db: db)
                try Self.writeProgress(job.advanced(replaying: ids, asked: batch, now: now), db: db)
                replayed += ids.count
            }
            return replayed
        }
    }

    /// Replays the job's next batch, in creation order; answers the ids replayed.
    private static func replayBatch(of job: ReplayJob, size: Int, now: Timestamp, db: Database) throws -> [String] {
        let (conditions, arguments) = Self.conditions(job.filter, accountID: job.accountID)
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT d.rowid AS position, d.id, d.webhook_id, d.subject_id, d.subject_kind FROM deliveries d
                WHERE \(conditions) AND d.id > ? ORDER BY d.id LIMIT ?
                """,
            arguments: StatementArguments(arguments + [job.cursor ?? "", size]))
        let replay = Replay(now: now)
        var webhooks: Set<String> = []
        for row in rows {
            let position: Int64 = row["position"]
            let webhookID: String = row["webhook_id"]
            let waits = try Int.fetchOne(
                db, sql: pendingOfSubject + " AND rowid < ? LIMIT 1", arguments: [webhookID, row["subject_id"], row["subject_kind"], position]) != nil
            _ = try writeReplay(replay, nextAttemptAt: replay.nextAttemptAt(waitsBehindEarlier: waits), where: "rowid = ?", [position], db: db)
            webhooks.insert(webhookID)
        }
        for webhookID in webhooks { try refreshDueTime(webhookID: webhookID, now: now, db: db) }
        return rows.map { $0["id"] }
    }

    /// Writes what `Replay` says to the delivery `condition` picks; answers whether there was one.
    static func writeReplay(_ replay: Replay, nextAttemptAt: Timestamp?, where condition: String, _ arguments: StatementArguments, db: Database) throws -> Bool {
        try db.execute(
            sql: """
                UPDATE deliveries SET status = ?, next_attempt_at = ?, schedule_started_at = ?, schedule_attempts = ?,
                    lease_owner = NULL, held_until = NULL, held_for = NULL, updated_at = ?
                WHERE \(condition)
                """,
            arguments: [
                replay.status.rawValue, nextAttemptAt?.millisecondsSince1970, replay.scheduleStartedAt.millisecondsSince1970, replay.scheduleAttempts,
                replay.updatedAt.millisecondsSince1970,
            ] + arguments)
        return db.changesCount > 0
    }

    private static func writeProgress(_ job: ReplayJob, db: Database) throws {
        try db.execute(
            sql: "UPDATE replay_jobs SET status = ?, replayed = ?, cursor = ?, updated_at = ? WHERE id = ?",
            arguments: [job.status.rawValue, job.replayed, job.cursor, job.updatedAt.millisecondsSince1970, job.id])
    }

    static func replayJob(_ row: Row) throws -> ReplayJob {
        guard let status = ReplayJob.Status(rawValue: row["status"]) else { throw StoreError.conflict("replay \(row["id"] as String) has an unknown status") }
        return ReplayJob(
            id: row["id"], accountID: row["account_id"], filter: try decode(ReplayFilter.self, row["filter"]), status: status, total: row["total"],
            replayed: row["replayed"], cursor: row["cursor"], createdAt: Timestamp(millisecondsSince1970: row["created_at"]),
            updatedAt: Timestamp(millisecondsSince1970: row["updated_at"]))
    }
}
