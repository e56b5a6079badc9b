import Foundation
import GRDB
import HooklineCore

extension SQLiteStore {
    // MARK: As users see them

    public func deliveries(accountID: String, filter: DeliveryFilter, page: PageRequest) async throws -> Page<Delivery> {
        try await pool.read { db in
            var sql = "SELECT * FROM deliveries WHERE account_id = ?"
            var arguments: StatementArguments = [accountID]
            if let webhookID = filter.webhookID {
                sql += " AND webhook_id = ?"
                arguments += [webhookID]
            }
            if let subjectID = filter.subjectID {
                sql += " AND subject_id = ?"
                arguments += [subjectID]
            }
            if let status = filter.status {
                sql += " AND status = ?"
                arguments += [status.rawValue]
            }
            if let cursor = page.cursor {
                sql += " AND id < ?"
                arguments += [cursor]
            }
            sql += " ORDER BY id DESC LIMIT ?"
            arguments += [page.limit + 1]
            let rows = try Row.fetchAll(db, sql: sql, arguments: arguments)
            let items = try rows.prefix(page.limit).map(Self.delivery)
            return Page(items: items, nextCursor: rows.count > page.limit ? items.last?.id : nil)
        }
    }

    public func delivery(id: String, accountID: String) async throws -> Delivery? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM deliveries WHERE id = ? AND account_id = ?", arguments: [id, accountID]).map(Self.delivery)
        }
    }

    public func attempts(deliveryID: String) async throws -> [Attempt] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM attempts WHERE delivery_id = ? ORDER BY number, id", arguments: [deliveryID]).map { row in
                Attempt(
                    number: row["number"], startedAt: Timestamp(millisecondsSince1970: row["started_at"]),
                    durationMilliseconds: row["duration_ms"], request: try Self.decode(RecordedRequest.self, row["request"]),
                    response: try (row["response"] as String?).map { try Self.decode(RecordedResponse.self, $0) },
                    errorKind: (row["error_kind"] as String?).flatMap(AttemptErrorKind.init(rawValue:)),
                    errorMessage: row["error_message"])
            }
        }
    }

    public func replayDelivery(id: String, accountID: String, now: Timestamp) async throws -> Delivery? {
        try await pool.write { db in
            let ms = now.millisecondsSince1970
            try db.execute(
                sql: """
                    UPDATE deliveries SET status = 'pending', next_attempt_at = ?, schedule_started_at = ?, schedule_attempts = 0,
                        lease_owner = NULL, updated_at = ?
                    WHERE id = ? AND account_id = ?
                    """,
                arguments: [ms, ms, ms, id, accountID])
            guard db.changesCount > 0 else { return nil }
            return try Row.fetchOne(db, sql: "SELECT * FROM deliveries WHERE id = ?", arguments: [id]).map(Self.delivery)
        }
    }

    static func delivery(_ row: Row) throws -> Delivery {
        guard let status = DeliveryStatus(rawValue: row["status"]), let kind = EventKind(rawValue: row["event_kind"]) else {
            throw StoreError.conflict("delivery \(row["id"] as String) has an unknown status or kind")
        }
        return Delivery(
            id: row["id"], accountID: row["account_id"], webhookID: row["webhook_id"], eventID: row["event_id"], eventKind: kind,
            subjectID: row["subject_id"], status: status, attemptCount: row["attempt_count"],
            nextAttemptAt: (row["next_attempt_at"] as Int64?).map(Timestamp.init(millisecondsSince1970:)),
            createdAt: Timestamp(millisecondsSince1970: row["created_at"]),
            updatedAt: Timestamp(millisecondsSince1970: row["updated_at"]),
            lastResponseStatus: row["last_response_status"], lastError: row["last_error"])
    }

    // MARK: As workers see them

    /// Leasing moves `next_attempt_at` to the lease's end, so one index finds both due rows and
    /// rows whose lease ran out.
    public func leaseDueDeliveries(limit: Int, now: Timestamp, leaseUntil: Timestamp, owner: String) async throws -> [DeliveryJob] {
        try await pool.write { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT d.*, e.token_values, w.settings, w.created_at AS webhook_created_at, w.updated_at AS webhook_updated_at
                    FROM deliveries d
                    JOIN webhooks w ON w.id = d.webhook_id
                    JOIN events e ON e.id = d.event_id
                    WHERE d.status = 'pending' AND d.next_attempt_at <= ? AND w.enabled = 1
                    ORDER BY d.next_attempt_at
                    LIMIT ?
                    """,
                arguments: [now.millisecondsSince1970, limit])
            guard !rows.isEmpty else { return [] }
            let update = try db.makeStatement(sql: "UPDATE deliveries SET lease_owner = ?, next_attempt_at = ? WHERE id = ?")
            var webhooks: [String: Webhook] = [:]
            return try rows.map { row in
                try update.execute(arguments: [owner, leaseUntil.millisecondsSince1970, row["id"]])
                let delivery = try Self.delivery(row)
                let webhook =
                    try webhooks[delivery.webhookID]
                    ?? Webhook(
                        id: delivery.webhookID, accountID: delivery.accountID,
                        settings: try Self.decode(WebhookSettings.self, row["settings"]),
                        createdAt: Timestamp(millisecondsSince1970: row["webhook_created_at"]),
                        updatedAt: Timestamp(millisecondsSince1970: row["webhook_updated_at"]))
                webhooks[delivery.webhookID] = webhook
                let payload = (row["payload"] as Data?).map { FrozenPayload(body: Array($0), contentType: row["content_type"] ?? "application/octet-stream") }
                return DeliveryJob(
                    delivery: delivery, webhook: webhook, values: try Self.object(row["token_values"]), payload: payload,
                    scheduleAttempts: row["schedule_attempts"],
                    scheduleStartedAt: Timestamp(millisecondsSince1970: row["schedule_started_at"]))
            }
        }
    }

    public func recordAttempts(_ results: [AttemptResult]) async throws {
        guard !results.isEmpty else { return }
        let encoded = try results.map { result in
            (request: try Self.encode(result.attempt.request), response: try result.attempt.response.map(Self.encode))
        }
        try await pool.write { db in
            for (result, texts) in zip(results, encoded) {
                guard let count = try Int.fetchOne(db, sql: "SELECT attempt_count FROM deliveries WHERE id = ?", arguments: [result.deliveryID])
                else { continue }  // deleted with its webhook while in flight
                let attempt = result.attempt
                try db.execute(
                    sql: """
                        INSERT INTO attempts (delivery_id, number, started_at, duration_ms, request, response, error_kind, error_message)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        result.deliveryID, count + 1, attempt.startedAt.millisecondsSince1970, attempt.durationMilliseconds,
                        texts.request, texts.response, attempt.errorKind?.rawValue, attempt.errorMessage,
                    ])
                let (status, next): (DeliveryStatus, Int64?) =
                    switch result.verdict {
                    case .delivered: (.delivered, nil)
                    case .retry(let at): (.pending, at.millisecondsSince1970)
                    case .dead: (.dead, nil)
                    }
                // Only a pending row changes state: a late duplicate attempt never undoes a delivery.
                try db.execute(
                    sql: """
                        UPDATE deliveries SET
                            attempt_count = attempt_count + 1,
                            schedule_attempts = schedule_attempts + ?,
                            status = CASE WHEN status = 'pending' THEN ? ELSE status END,
                            next_attempt_at = CASE WHEN status = 'pending' THEN ? ELSE next_attempt_at END,
                            lease_owner = NULL,
                            payload = COALESCE(payload, ?),
                            content_type = COALESCE(content_type, ?),
                            last_response_status = ?,
                            last_error = ?,
                            updated_at = ?
                        WHERE id = ?
                        """,
                    arguments: [
                        attempt.succeeded ? 0 : 1, status.rawValue, next, result.renderedPayload.map { Data($0.body) },
                        result.renderedPayload?.contentType, attempt.response?.status,
                        attempt.errorMessage, result.now.millisecondsSince1970, result.deliveryID,
                    ])
            }
        }
    }

    public func nextDueTime() async throws -> Timestamp? {
        try await pool.read { db in
            try Int64.fetchOne(
                db,
                sql: """
                    SELECT MIN(d.next_attempt_at) FROM deliveries d JOIN webhooks w ON w.id = d.webhook_id
                    WHERE d.status = 'pending' AND w.enabled = 1
                    """
            ).map(Timestamp.init(millisecondsSince1970:))
        }
    }

    public func releaseLeases(owner: String, now: Timestamp) async throws {
        try await pool.write { db in
            try db.execute(
                sql: "UPDATE deliveries SET lease_owner = NULL, next_attempt_at = ? WHERE lease_owner = ? AND status = 'pending'",
                arguments: [now.millisecondsSince1970, owner])
        }
    }
}
