import HooklineCore
import PostgresNIO

/// Held deliveries (a webhook's `hold`): released by the update that brings what they wait for,
/// in the update's transaction (its call locked), or by their time, by any process's worker
/// (`SKIP LOCKED`: two workers release different ones); as Core's `DeliveryHold` says. A released
/// row no longer matches `held_until IS NOT NULL`, so whichever commits first releases it once.
extension PostgresStore {
    /// Held deliveries an update released with a due time, and their webhooks' due times.
    struct ReleasedHolds {
        var count = 0
        var dueTimes = EarliestDueTimes()
    }

    /// Releases the call's held deliveries that `call` (what is known of it now) satisfies;
    /// answers the webhooks' due times to move once the transaction commits (ingest waits for no
    /// webhook's lock).
    static func releaseHolds(
        accountID: String, callID: String, call: JSONObject, version: Int, now: Timestamp, connection: PostgresConnection, logger: Logger
    ) async throws -> ReleasedHolds {
        let rows = try await connection.rows(
            """
            SELECT d.id, d.seq, d.webhook_id, d.held_until, d.held_for, e.token_values FROM deliveries d JOIN events e ON e.id = d.event_id
            WHERE d.account_id = \(accountID) AND d.subject_id = \(callID) AND d.subject_kind = 'call' AND d.status = 'pending' AND d.held_until IS NOT NULL
            FOR UPDATE OF d
            """, logger: logger)
        var released = ReleasedHolds()
        for row in rows {
            let waitingFor = try decode([String].self, try row.column("held_for", as: String?.self) ?? "[]")
            guard DeliveryHold.releases(waitingFor: waitingFor, heldUntil: try row.time("held_until"), values: call, now: now) else { continue }
            let due = try await release(
                row, callID: callID, values: DeliveryHold.releasedValues(event: try object(try row.column("token_values")), call: call), version: version,
                now: now, connection: connection, logger: logger)
            guard let due else { continue }
            released.count += 1
            released.dueTimes.add(webhookID: try row.column("webhook_id"), due: due.millisecondsSince1970)
        }
        return released
    }

    public func releaseExpiredHolds(now: Timestamp, limit: Int) async throws -> Int {
        try await transaction { [logger] connection in
            let rows = try await connection.rows(
                """
                SELECT d.id, d.seq, d.webhook_id, d.subject_id, e.token_values, c.begin_values, c.end_values, c.later_values, c.version
                FROM deliveries d JOIN events e ON e.id = d.event_id JOIN calls c ON c.account_id = d.account_id AND c.id = d.subject_id
                WHERE d.held_until <= \(now.millisecondsSince1970) AND d.status = 'pending' LIMIT \(limit)
                FOR UPDATE OF d SKIP LOCKED
                """, logger: logger)
            for row in rows {
                let call = try Self.callValues(row).current
                let due = try await Self.release(
                    row, callID: try row.column("subject_id"), values: DeliveryHold.releasedValues(event: try Self.object(try row.column("token_values")), call: call),
                    version: try row.column("version"), now: now, connection: connection, logger: logger)
                if let due { try await Self.advanceDueTime(webhookID: try row.column("webhook_id"), to: due.millisecondsSince1970, connection: connection, logger: logger) }
            }
            return rows.count
        }
    }

    /// A held delivery goes: with what it renders, due now unless an earlier delivery of its call
    /// to its webhook is still pending (that one's outcome releases it, in order). Answers when it
    /// is due, for its webhook's due time.
    private static func release(
        _ row: PostgresRandomAccessRow, callID: String, values: JSONObject, version: Int, now: Timestamp, connection: PostgresConnection, logger: Logger
    ) async throws -> Timestamp? {
        let (id, seq, webhookID): (String, Int64, String) = (try row.column("id"), try row.column("seq"), try row.column("webhook_id"))
        let waits = try await !connection.rows(
            """
            SELECT 1 AS one FROM deliveries WHERE webhook_id = \(webhookID) AND subject_kind = 'call' AND subject_id = \(callID)
                AND status = 'pending' AND seq < \(seq) LIMIT 1
            """, logger: logger
        ).isEmpty
        let next = DeliveryHold.nextAttemptAt(waitsBehindEarlier: waits, now: now)
        try await connection.run(
            """
            UPDATE deliveries SET held_until = NULL, held_for = NULL, render_values = \(values.jsonText), rendered_version = \(version),
                next_attempt_at = \(next?.millisecondsSince1970), updated_at = \(now.millisecondsSince1970)
            WHERE id = \(id)
            """, logger: logger)
        return next
    }
}
