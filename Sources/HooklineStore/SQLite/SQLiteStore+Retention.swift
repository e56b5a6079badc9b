import GRDB
import HooklineCore

extension SQLiteStore {
    /// Old rows are found by their time-ordered ids (`Identifier.bound`), on the primary keys: no
    /// index of their own to write at every ingest. Each batch is one short write of the group
    /// commit, so ingest waits for no more than one batch.
    public func purge(finishedBefore: Timestamp, limit: Int) async throws -> Purged {
        let ms = finishedBefore.millisecondsSince1970
        let deliveryBound = Identifier.bound("dlv", before: finishedBefore)
        let eventBound = Identifier.bound("evt", before: finishedBefore)
        let finished = Retention.finishedStatuses.map { "'\($0.rawValue)'" }.joined(separator: ", ")
        let deliveries = try await write { db in
            try db.execute(
                sql: """
                    DELETE FROM deliveries WHERE id IN (
                        SELECT id FROM deliveries WHERE id < ? AND status IN (\(finished)) AND updated_at < ? ORDER BY id LIMIT ?)
                    """, arguments: [deliveryBound, ms, limit])
            return db.changesCount
        }
        let events = try await write { db in
            // An event's deliveries share its account and subject: their index finds them.
            try db.execute(
                sql: """
                    DELETE FROM events WHERE id IN (
                        SELECT e.id FROM events e WHERE e.id < ? AND NOT EXISTS (
                            SELECT 1 FROM deliveries d WHERE d.account_id = e.account_id AND d.subject_id = e.subject_id AND d.event_id = e.id)
                        ORDER BY e.id LIMIT ?)
                    """, arguments: [eventBound, limit])
            return db.changesCount
        }
        return Purged(deliveries: deliveries, events: events)
    }
}
