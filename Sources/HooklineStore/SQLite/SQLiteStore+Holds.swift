import GRDB
import HooklineCore

/// Held deliveries (a webhook's `hold`): released by the update that brings what they wait for,
/// in the update's transaction, or by their time, at a worker's heartbeat; as Core's
/// `DeliveryHold` says. The group commit is the only writer, so each is released once.
extension SQLiteStore {
    /// Releases the call's held deliveries that `call` (what is known of it now) satisfies.
    static func releaseHolds(accountID: String, callID: String, call: JSONObject, version: Int, now: Timestamp, db: Database) throws -> Int {
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT d.rowid AS position, d.webhook_id, d.held_until, d.held_for, e.token_values FROM deliveries d INDEXED BY deliveries_by_subject
                JOIN events e ON e.id = d.event_id
                WHERE d.account_id = ? AND d.subject_id = ? AND d.subject_kind = 'call' AND d.status = 'pending' AND d.held_until IS NOT NULL
                """, arguments: [accountID, callID])
        var released = 0
        for row in rows {
            let waitingFor = try decode([String].self, row["held_for"] as String? ?? "[]")
            let heldUntil = Timestamp(millisecondsSince1970: row["held_until"])
            guard DeliveryHold.releases(waitingFor: waitingFor, heldUntil: heldUntil, values: call, now: now) else { continue }
            try release(
                position: row["position"], webhookID: row["webhook_id"], callID: callID,
                values: DeliveryHold.releasedValues(event: try object(row["token_values"]), call: call), version: version, now: now, db: db)
            released += 1
        }
        return released
    }

    public func releaseExpiredHolds(now: Timestamp, limit: Int) async throws -> Int {
        try await write { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT d.rowid AS position, d.webhook_id, d.subject_id, e.token_values, c.begin_values, c.end_values, c.later_values, c.version
                    FROM deliveries d INDEXED BY deliveries_held JOIN events e ON e.id = d.event_id
                    JOIN calls c ON c.account_id = d.account_id AND c.id = d.subject_id
                    WHERE d.held_until <= ? AND d.status = 'pending' LIMIT ?
                    """, arguments: [now.millisecondsSince1970, limit])
            for row in rows {
                let call = try Self.callValues(row).current
                try Self.release(
                    position: row["position"], webhookID: row["webhook_id"], callID: row["subject_id"],
                    values: DeliveryHold.releasedValues(event: try Self.object(row["token_values"]), call: call), version: row["version"], now: now, db: db)
            }
            return rows.count
        }
    }

    /// A held delivery goes: with what it renders, due now unless an earlier delivery of its call
    /// to its webhook is still pending (that one's outcome releases it, in order).
    private static func release(position: Int64, webhookID: String, callID: String, values: JSONObject, version: Int, now: Timestamp, db: Database) throws {
        let waits = try exists(db, pendingOfSubject + " AND rowid < ? LIMIT 1", [webhookID, callID, SubjectKind.call.rawValue, position])
        let next = DeliveryHold.nextAttemptAt(waitsBehindEarlier: waits, now: now)
        try db.run(
            sql: """
                UPDATE deliveries SET held_until = NULL, held_for = NULL, render_values = ?, rendered_version = ?, next_attempt_at = ?, updated_at = ?
                WHERE rowid = ?
                """, arguments: [values.jsonText, version, next?.millisecondsSince1970, now.millisecondsSince1970, position])
        if let next { try advanceDueTime(webhookID: webhookID, to: next.millisecondsSince1970, db: db) }
    }
}
