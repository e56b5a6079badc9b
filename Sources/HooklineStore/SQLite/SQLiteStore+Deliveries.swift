import Foundation
import GRDB
import HooklineCore

extension SQLiteStore {
    // MARK: As users see them

    public func deliveries(accountID: String, filter: DeliveryFilter, page: PageRequest) async throws -> Page<Delivery> {
        try await pool.read { db in
            var sql = DeliverySourceSQL.select + " WHERE d.account_id = ?"
            var arguments: StatementArguments = [accountID]
            if let webhookID = filter.webhookID {
                sql += " AND d.webhook_id = ?"
                arguments += [webhookID]
            }
            if let subjectID = filter.subjectID {
                sql += " AND d.subject_id = ?"
                arguments += [subjectID]
            }
            if let status = filter.status { sql += " AND " + DeliverySourceSQL.status(status) }
            if let cursor = page.cursor {
                sql += " AND d.id < ?"
                arguments += [cursor]
            }
            sql += " ORDER BY d.id DESC LIMIT ?"
            arguments += [page.limit + 1]
            let rows = try Row.fetchAll(db, sql: sql, arguments: arguments)
            let items = try rows.prefix(page.limit).map(Self.delivery)
            return Page(items: items, nextCursor: rows.count > page.limit ? items.last?.id : nil)
        }
    }

    public func delivery(id: String, accountID: String) async throws -> Delivery? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: DeliverySourceSQL.select + " WHERE d.id = ? AND d.account_id = ?", arguments: [id, accountID]).map(Self.delivery)
        }
    }

    public func attempts(deliveryID: String) async throws -> [Attempt] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM attempts WHERE delivery_id = ? ORDER BY number, id", arguments: [deliveryID]).map { row in
                Attempt(
                    number: row["number"], startedAt: Timestamp(millisecondsSince1970: row["started_at"]),
                    durationMilliseconds: row["duration_ms"], request: try RecordedRequest(storedJSON: row["request"]),
                    response: try (row["response"] as String?).map(RecordedResponse.init(storedJSON:)),
                    errorKind: (row["error_kind"] as String?).flatMap(AttemptErrorKind.init(rawValue:)),
                    errorMessage: row["error_message"])
            }
        }
    }

    public func replayDelivery(id: String, accountID: String, now: Timestamp) async throws -> Delivery? {
        try await write { db in
            let replay = Replay(now: now)
            guard try Self.writeReplay(replay, nextAttemptAt: replay.nextAttemptAt, where: "id = ? AND account_id = ?", [id, accountID], db: db),
                let row = try Row.fetchOne(db, sql: DeliverySourceSQL.select + " WHERE d.id = ?", arguments: [id]) else {
                return nil
            }
            let delivery = try Self.delivery(row)
            try Self.refreshDueTime(webhookID: delivery.webhookID, now: now, db: db)
            return delivery
        }
    }

    static func delivery(_ row: Row) throws -> Delivery {
        let heldUntil = (row["held_until"] as Int64?).map(Timestamp.init(millisecondsSince1970:))
        guard let status = DeliveryStatus(stored: row["status"], heldUntil: heldUntil), let kind = EventKind(rawValue: row["event_kind"]) else {
            throw StoreError.conflict("delivery \(row["id"] as String) has an unknown status or kind")
        }
        return Delivery(
            id: row["id"], accountID: row["account_id"], webhookID: row["webhook_id"], eventID: row["event_id"], eventKind: kind,
            subjectID: row["subject_id"], status: status, attemptCount: row["attempt_count"],
            nextAttemptAt: (row["next_attempt_at"] as Int64?).map(Timestamp.init(millisecondsSince1970:)),
            createdAt: Timestamp(millisecondsSince1970: row["created_at"]),
            updatedAt: Timestamp(millisecondsSince1970: row["updated_at"]),
            lastResponseStatus: row["last_response_status"], lastError: row["last_error"], sourceID: row["source_id"],
            subjectVersion: row["subject_version"], heldUntil: heldUntil, heldFor: try (row["held_for"] as String?).map { try decode([String].self, $0) } ?? [])
    }

    // MARK: As workers see them
    // The queue lives in SQLiteStore+Queue.swift.
}

extension SQLiteStore {
    public func attemptTimings(webhookID: String, accountID: String, since: Timestamp, limit: Int) async throws -> [AttemptTiming] {
        try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT a.started_at / 3600000 AS hour, a.duration_ms, a.error_kind IS NULL AS succeeded, COUNT(*) AS count
                    FROM deliveries d JOIN attempts a ON a.delivery_id = d.id
                    WHERE d.webhook_id = ? AND d.account_id = ? AND d.id >= ?
                    GROUP BY 1, 2, 3 ORDER BY 1, 2 LIMIT ?
                    """,
                arguments: [webhookID, accountID, Identifier.bound("dlv", before: since), limit]
            ).map { row in
                AttemptTiming(
                    hour: Timestamp(millisecondsSince1970: (row["hour"] as Int64) * 3_600_000), durationMilliseconds: row["duration_ms"],
                    succeeded: row["succeeded"], count: row["count"])
            }
        }
    }

    public func deliveryCounts(accountID: String, since: Timestamp) async throws -> [String: Int] {
        try await pool.read { db in
            var counts: [String: Int] = [:]
            for row in try Row.fetchAll(
                db, sql: "SELECT webhook_id, COUNT(*) AS count FROM deliveries WHERE account_id = ? AND id >= ? GROUP BY webhook_id",
                arguments: [accountID, Identifier.bound("dlv", before: since)])
            {
                counts[row["webhook_id"]] = row["count"]
            }
            return counts
        }
    }

    public func webhookQueues(accountID: String, webhookID: String?) async throws -> [String: WebhookQueue] {
        try await pool.read { db in
            var queues: [String: WebhookQueue] = [:]
            for row in try Row.fetchAll(db, sql: Self.webhookQueuesSQL, arguments: [accountID, webhookID]) {
                let (pending, inFlight, held): (Int, Int, Int) = (row["pending"], row["in_flight"], row["held"])
                guard pending > 0 else { continue }
                queues[row["webhook_id"]] = WebhookQueue(
                    waiting: pending - inFlight - held, inFlight: inFlight, held: held,
                    nextAttemptAt: (row["next_attempt_at"] as Int64?).map(Timestamp.init(millisecondsSince1970:)))
            }
            return queues
        }
    }

    /// Counted from the queue's partial indexes, not its rows: with 200,000 pending a list costs
    /// 20 ms of CPU, where reading each row cost 104. A held delivery has no due time and
    /// no lease, so only the undated part of the queue is looked up in the table, and what is
    /// neither in flight nor held is waiting.
    private static let webhookQueuesSQL = """
        SELECT w.id AS webhook_id,
            (SELECT COUNT(*) FROM deliveries d INDEXED BY deliveries_queue WHERE d.webhook_id = w.id AND d.status = 'pending') AS pending,
            (SELECT COUNT(*) FROM deliveries d INDEXED BY deliveries_leased
                WHERE d.webhook_id = w.id AND d.lease_owner IS NOT NULL AND d.status = 'pending') AS in_flight,
            (SELECT COUNT(*) FROM deliveries d INDEXED BY deliveries_queue
                WHERE d.webhook_id = w.id AND d.status = 'pending' AND d.next_attempt_at IS NULL AND d.held_until IS NOT NULL) AS held,
            CASE WHEN w.enabled = 1 THEN w.next_due_at END AS next_attempt_at
        FROM webhooks w
        WHERE w.account_id = ?1 AND (?2 IS NULL OR w.id = ?2)
        """
}
