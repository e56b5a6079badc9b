import HooklineCore
import PostgresNIO

extension PostgresStore {
    /// Old rows are found by their time-ordered ids (`Identifier.bound`), on the primary keys: no
    /// index of their own to write at every ingest.
    public func purge(finishedBefore: Timestamp, limit: Int) async throws -> Purged {
        let ms = finishedBefore.millisecondsSince1970
        let deliveryBound = Identifier.bound("dlv", before: finishedBefore)
        let eventBound = Identifier.bound("evt", before: finishedBefore)
        let finished = Retention.finishedStatuses.map(\.rawValue)
        let deliveries = try await transaction { [logger] connection in
            try await connection.rows(
                """
                DELETE FROM deliveries WHERE id IN (
                    SELECT id FROM deliveries WHERE id < \(deliveryBound) AND status = ANY(\(finished)) AND updated_at < \(ms)
                    ORDER BY id LIMIT \(limit) FOR UPDATE SKIP LOCKED)
                RETURNING id
                """, logger: logger
            ).count
        }
        let events = try await transaction { [logger] connection in
            // An event's deliveries share its account and subject: their index finds them.
            try await connection.rows(
                """
                DELETE FROM events WHERE id IN (
                    SELECT e.id FROM events e WHERE e.id < \(eventBound) AND NOT EXISTS (
                        SELECT 1 FROM deliveries d WHERE d.account_id = e.account_id AND d.subject_id = e.subject_id AND d.event_id = e.id)
                    ORDER BY e.id LIMIT \(limit) FOR UPDATE SKIP LOCKED)
                RETURNING id
                """, logger: logger
            ).count
        }
        return Purged(deliveries: deliveries, events: events)
    }
}
