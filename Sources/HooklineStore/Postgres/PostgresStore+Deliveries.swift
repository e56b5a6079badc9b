import HooklineCore
import PostgresNIO

extension PostgresStore {
    // MARK: As users see them

    public func deliveries(accountID: String, filter: DeliveryFilter, page: PageRequest) async throws -> Page<Delivery> {
        let rows = try await rows(
            """
            \(unescaped: DeliverySourceSQL.select) WHERE d.account_id = \(accountID)
                AND (\(filter.webhookID)::text IS NULL OR d.webhook_id = \(filter.webhookID))
                AND (\(filter.subjectID)::text IS NULL OR d.subject_id = \(filter.subjectID))
                \(unescaped: filter.status.map { "AND " + DeliverySourceSQL.status($0) } ?? "")
                AND (\(page.cursor)::text IS NULL OR d.id < \(page.cursor))
            ORDER BY d.id DESC LIMIT \(page.limit + 1)
            """)
        let items = try rows.prefix(page.limit).map(Self.delivery)
        return Page(items: items, nextCursor: rows.count > page.limit ? items.last?.id : nil)
    }

    public func delivery(id: String, accountID: String) async throws -> Delivery? {
        try await rows("\(unescaped: DeliverySourceSQL.select) WHERE d.id = \(id) AND d.account_id = \(accountID)").first.map(Self.delivery)
    }

    public func attempts(deliveryID: String) async throws -> [Attempt] {
        try await rows("SELECT * FROM attempts WHERE delivery_id = \(deliveryID) ORDER BY number, id").map { row in
            Attempt(
                number: try row.column("number"), startedAt: try row.time("started_at"), durationMilliseconds: Int(try row.column("duration_ms", as: Int64.self)),
                request: try RecordedRequest(storedJSON: try row.column("request")),
                response: try row.column("response", as: String?.self).map(RecordedResponse.init(storedJSON:)),
                errorKind: try row.column("error_kind", as: String?.self).flatMap(AttemptErrorKind.init(rawValue:)), errorMessage: try row.column("error_message"))
        }
    }

    public func replayDelivery(id: String, accountID: String, now: Timestamp) async throws -> Delivery? {
        try await transaction { [logger] connection in
            guard
                let webhookID = try await connection.rows("SELECT webhook_id FROM deliveries WHERE id = \(id) AND account_id = \(accountID)", logger: logger)
                    .first.map({ try $0.column("webhook_id", as: String.self) })
            else { return nil }
            // The webhook before its delivery, as every writer locks them.
            try await connection.run("SELECT id FROM webhooks WHERE id = \(webhookID) FOR NO KEY UPDATE", logger: logger)
            let replay = Replay(now: now)
            guard
                try await Self.writeReplay(replay, nextAttemptAt: replay.nextAttemptAt, id: id, accountID: accountID, connection: connection, logger: logger),
                let row = try await connection.rows("\(unescaped: DeliverySourceSQL.select) WHERE d.id = \(id)", logger: logger).first
            else { return nil }
            let delivery = try Self.delivery(row)
            try await Self.refreshDueTime(webhookID: webhookID, now: now, connection: connection, logger: logger)
            return delivery
        }
    }

    static func delivery(_ row: PostgresRandomAccessRow) throws -> Delivery {
        let id: String = try row.column("id")
        let heldUntil = row.contains("held_until") ? try row.optionalTime("held_until") : nil
        guard let status = DeliveryStatus(stored: try row.column("status"), heldUntil: heldUntil), let kind = EventKind(rawValue: try row.column("event_kind")) else {
            throw StoreError.conflict("delivery \(id) has an unknown status or kind")
        }
        return Delivery(
            id: id, accountID: try row.column("account_id"), webhookID: try row.column("webhook_id"), eventID: try row.column("event_id"), eventKind: kind,
            subjectID: try row.column("subject_id"), status: status, attemptCount: try row.column("attempt_count"),
            nextAttemptAt: try row.optionalTime("next_attempt_at"), createdAt: try row.time("created_at"), updatedAt: try row.time("updated_at"),
            lastResponseStatus: try row.column("last_response_status"), lastError: try row.column("last_error"),
            sourceID: row.contains("source_id") ? try row.column("source_id") : nil,
            subjectVersion: row.contains("subject_version") ? try row.column("subject_version") : nil, heldUntil: heldUntil,
            heldFor: try (row.contains("held_for") ? row.column("held_for", as: String?.self) : nil).map { try decode([String].self, $0) } ?? [])
    }
}

extension PostgresStore {
    public func attemptTimings(webhookID: String, accountID: String, since: Timestamp, limit: Int) async throws -> [AttemptTiming] {
        try await rows(
            """
            SELECT a.started_at / 3600000 AS hour, a.duration_ms, a.error_kind IS NULL AS succeeded, COUNT(*) AS count
            FROM deliveries d JOIN attempts a ON a.delivery_id = d.id
            WHERE d.webhook_id = \(webhookID) AND d.account_id = \(accountID) AND d.id >= \(Identifier.bound("dlv", before: since))
            GROUP BY 1, 2, 3 ORDER BY 1, 2 LIMIT \(limit)
            """
        ).map { row in
            AttemptTiming(
                hour: Timestamp(millisecondsSince1970: try row.column("hour", as: Int64.self) * 3_600_000),
                durationMilliseconds: Int(try row.column("duration_ms", as: Int64.self)), succeeded: try row.column("succeeded"),
                count: Int(try row.column("count", as: Int64.self)))
        }
    }

    public func deliveryCounts(accountID: String, since: Timestamp) async throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for row in try await rows(
            """
            SELECT webhook_id, COUNT(*) AS count FROM deliveries WHERE account_id = \(accountID) AND id >= \(Identifier.bound("dlv", before: since))
            GROUP BY webhook_id
            """)
        {
            counts[try row.column("webhook_id")] = try row.column("count", as: Int.self)
        }
        return counts
    }

    public func webhookQueues(accountID: String, webhookID: String?) async throws -> [String: WebhookQueue] {
        var queues: [String: WebhookQueue] = [:]
        for row in try await rows(
            """
            SELECT w.id AS webhook_id,
                COUNT(*) FILTER (WHERE d.lease_owner IS NULL AND d.held_until IS NULL) AS waiting,
                COUNT(*) FILTER (WHERE d.lease_owner IS NOT NULL) AS in_flight,
                COUNT(*) FILTER (WHERE d.held_until IS NOT NULL) AS held,
                CASE WHEN w.enabled THEN w.next_due_at END AS next_attempt_at
            FROM webhooks w JOIN deliveries d ON d.webhook_id = w.id AND d.status = 'pending'
            WHERE w.account_id = \(accountID) AND (\(webhookID)::TEXT IS NULL OR w.id = \(webhookID))
            GROUP BY w.id
            """)
        {
            queues[try row.column("webhook_id")] = WebhookQueue(
                waiting: try row.column("waiting", as: Int.self), inFlight: try row.column("in_flight", as: Int.self),
                held: try row.column("held", as: Int.self),
                nextAttemptAt: try row.column("next_attempt_at", as: Int64?.self).map(Timestamp.init(millisecondsSince1970:)))
        }
        return queues
    }
}
