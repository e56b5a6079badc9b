import HooklineCore
import PostgresNIO

/// Bulk replays. A batch and the job's position are written in one transaction with the job's row
/// locked (`SKIP LOCKED`: another worker takes other jobs meanwhile), so a delivery is replayed once
/// per job across restarts and workers.
extension PostgresStore {
    /// The filter's conditions on `d`: the shared part, then the bound ids.
    private static func conditions(_ filter: ReplayFilter, accountID: String) -> PostgresQuery {
        """
        d.account_id = \(accountID) AND \(unescaped: ReplaySQL.fixedConditions(filter))
            AND (\(filter.webhookID)::text IS NULL OR d.webhook_id = \(filter.webhookID))
            AND (\(filter.subjectIDs.isEmpty) OR d.subject_id = ANY(\(filter.subjectIDs)))
        """
    }

    public func replayPreview(accountID: String, filter: ReplayFilter) async throws -> [String: Int] {
        var query = Self.conditions(filter, accountID: accountID)
        query.sql = "SELECT d.webhook_id, COUNT(*) AS count FROM deliveries d WHERE " + query.sql + " GROUP BY d.webhook_id"
        var counts: [String: Int] = [:]
        for row in try await rows(query) { counts[try row.column("webhook_id")] = try row.column("count", as: Int.self) }
        return counts
    }

    public func insertReplayJob(_ job: ReplayJob) async throws {
        _ = try await rows(
            """
            INSERT INTO replay_jobs (id, account_id, filter, status, total, replayed, cursor, created_at, updated_at)
            VALUES (\(job.id), \(job.accountID), \(try Self.encode(job.filter)), \(job.status.rawValue), \(job.total), \(job.replayed), \(job.cursor),
                \(job.createdAt.millisecondsSince1970), \(job.updatedAt.millisecondsSince1970))
            RETURNING id
            """)
    }

    public func replayJob(id: String, accountID: String) async throws -> ReplayJob? {
        try await rows("SELECT * FROM replay_jobs WHERE id = \(id) AND account_id = \(accountID)").first.map(Self.replayJob)
    }

    public func replayJobs(accountID: String, limit: Int) async throws -> [ReplayJob] {
        try await rows("SELECT * FROM replay_jobs WHERE account_id = \(accountID) ORDER BY id DESC LIMIT \(limit)").map(Self.replayJob)
    }

    public func cancelReplayJob(id: String, accountID: String, now: Timestamp) async throws -> ReplayJob? {
        try await transaction { [logger] connection in
            // Waits for a batch in progress: the job stops after it.
            guard
                let job = try await connection.rows("SELECT * FROM replay_jobs WHERE id = \(id) AND account_id = \(accountID) FOR UPDATE", logger: logger)
                    .first.map(Self.replayJob)
            else { return nil }
            let cancelled = job.cancelled(now: now)
            try await Self.writeProgress(cancelled, connection: connection, logger: logger)
            return cancelled
        }
    }

    public func advanceReplayJobs(now: Timestamp, jobs: Int, batch: Int) async throws -> Int {
        try await transaction { [logger] connection in
            let running = try await connection.rows(
                "SELECT * FROM replay_jobs WHERE status = 'running' ORDER BY created_at LIMIT \(jobs) FOR UPDATE SKIP LOCKED", logger: logger)
            var replayed = 0
            for job in try running.map(Self.replayJob) {
                let ids = try await Self.replayBatch(of: job, size: batch, now: now, connection: connection, logger: logger)
                try await Self.writeProgress(job.advanced(replaying: ids, asked: batch, now: now), connection: connection, logger: logger)
                replayed += ids.count
            }
            return replayed
        }
    }

    /// Replays the job's next batch, in creation order; answers the ids replayed.
    private static func replayBatch(of job: ReplayJob, size: Int, now: Timestamp, connection: PostgresConnection, logger: Logger) async throws -> [String] {
        var query = conditions(job.filter, accountID: job.accountID)
        query.sql = "SELECT d.id, d.seq, d.webhook_id, d.subject_id, d.subject_kind FROM deliveries d WHERE " + query.sql
            + " AND d.id > $\(query.binds.count + 1) ORDER BY d.id LIMIT $\(query.binds.count + 2) FOR UPDATE OF d"
        query.binds.append(job.cursor ?? "")
        query.binds.append(size)
        let rows = try await connection.rows(query, logger: logger)
        let replay = Replay(now: now)
        var webhooks: Set<String> = []
        var ids: [String] = []
        for row in rows {
            let (id, seq, webhookID): (String, Int64, String) = (try row.column("id"), try row.column("seq"), try row.column("webhook_id"))
            let (subjectID, subjectKind): (String, String) = (try row.column("subject_id"), try row.column("subject_kind"))
            let waits = !(try await connection.rows(
                """
                SELECT 1 AS one FROM deliveries WHERE webhook_id = \(webhookID) AND subject_kind = \(subjectKind) AND subject_id = \(subjectID)
                    AND status = 'pending' AND seq < \(seq) LIMIT 1
                """, logger: logger).isEmpty)
            _ = try await writeReplay(
                replay, nextAttemptAt: replay.nextAttemptAt(waitsBehindEarlier: waits), id: id, accountID: job.accountID, connection: connection, logger: logger)
            webhooks.insert(webhookID)
            ids.append(id)
        }
        for webhookID in webhooks.sorted() { try await refreshDueTime(webhookID: webhookID, now: now, connection: connection, logger: logger) }
        return ids
    }

    private static func writeProgress(_ job: ReplayJob, connection: PostgresConnection, logger: Logger) async throws {
        try await connection.run(
            """
            UPDATE replay_jobs SET status = \(job.status.rawValue), replayed = \(job.replayed), cursor = \(job.cursor),
                updated_at = \(job.updatedAt.millisecondsSince1970)
            WHERE id = \(job.id)
            """, logger: logger)
    }

    static func replayJob(_ row: PostgresRandomAccessRow) throws -> ReplayJob {
        guard let status = ReplayJob.Status(rawValue: try row.column("status")) else { throw StoreError.conflict("a replay has an unknown status") }
        return ReplayJob(
            id: try row.column("id"), accountID: try row.column("account_id"), filter: try decode(ReplayFilter.self, try row.column("filter")), status: status,
            total: try row.column("total", as: Int.self), replayed: try row.column("replayed", as: Int.self), cursor: try row.column("cursor"),
            createdAt: try row.time("created_at"), updatedAt: try row.time("updated_at"))
    }

    /// Writes what `Replay` says to one delivery of the account; answers whether there was one.
    static func writeReplay(
        _ replay: Replay, nextAttemptAt: Timestamp?, id: String, accountID: String, connection: PostgresConnection, logger: Logger
    ) async throws -> Bool {
        try await !connection.rows(
            """
            UPDATE deliveries SET status = \(replay.status.rawValue), next_attempt_at = \(nextAttemptAt?.millisecondsSince1970),
                schedule_started_at = \(replay.scheduleStartedAt.millisecondsSince1970), schedule_attempts = \(replay.scheduleAttempts),
                lease_owner = NULL, held_until = NULL, held_for = NULL, updated_at = \(replay.updatedAt.millisecondsSince1970)
            WHERE id = \(id) AND account_id = \(accountID) RETURNING id
            """, logger: logger
        ).isEmpty
    }
}
