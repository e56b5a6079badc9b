import GRDB
import HooklineCore

extension SQLiteStore {
    /// Old rows are found by their time-ordered ids (`Identifier.bound`), on the primary keys: no
    /// index of their own to write at every ingest. Each batch is one short write of the group
    /// commit, so ingest waits for no more than one batch.
    public func purge(_ plan: PurgePlan) async throws -> Purged {
        let limit = plan.limit
        let deliveryBound = Identifier.bound("dlv", before: plan.finishedBefore)
        let eventBound = Identifier.bound("evt", before: plan.eventsBefore)
        let (finishedMs, idleMs, keysMs) = (plan.finishedBefore.millisecondsSince1970, plan.idleSubjectsBefore.millisecondsSince1970, plan.keysBefore.millisecondsSince1970)
        let finished = plan.finishedStatuses.map { "'\($0.rawValue)'" }.joined(separator: ", ")
        let deliveries = try await write { db in
            try db.execute(
                sql: """
                    DELETE FROM deliveries WHERE id IN (
                        SELECT id FROM deliveries WHERE id < ? AND status IN (\(finished)) AND updated_at < ? ORDER BY id LIMIT ?)
                    """, arguments: [deliveryBound, finishedMs, limit])
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
        let subjects = try await write { db in
            try Self.purgeSubjects(db, table: "calls", kind: .call, lastActivity: "COALESCE(ended_at, started_at)", before: idleMs, limit: limit)
                + Self.purgeSubjects(db, table: "leads", kind: .lead, lastActivity: "COALESCE(updated_at, created_at)", before: idleMs, limit: limit)
        }
        let keys = try await write { db in
            try db.execute(
                sql: "DELETE FROM idempotency_keys WHERE rowid IN (SELECT rowid FROM idempotency_keys WHERE created_at < ? LIMIT ?)", arguments: [keysMs, limit])
            var deleted = db.changesCount
            try db.execute(
                sql: "DELETE FROM sign_in_throttles WHERE key IN (SELECT key FROM sign_in_throttles WHERE last_failure < ? AND reserved_until < ? LIMIT ?)",
                arguments: [keysMs, keysMs, limit])
            deleted += db.changesCount
            return deleted
        }
        return Purged(deliveries: deliveries, events: events, subjects: subjects, keys: keys)
    }

    /// Calls or leads last heard of before `before` that no delivery refers to, with their captures.
    private static func purgeSubjects(_ db: Database, table: String, kind: SubjectKind, lastActivity: String, before: Int64, limit: Int) throws -> Int {
        let ids = try Row.fetchAll(
            db,
            sql: """
                SELECT account_id, id FROM \(table) s WHERE \(lastActivity) < ? AND NOT EXISTS (
                    SELECT 1 FROM deliveries d WHERE d.account_id = s.account_id AND d.subject_id = s.id)
                LIMIT ?
                """, arguments: [before, limit]
        ).map { ($0["account_id"] as String, $0["id"] as String) }
        for (account, id) in ids {
            try db.execute(sql: "DELETE FROM \(table) WHERE account_id = ? AND id = ?", arguments: [account, id])
            try db.execute(sql: "DELETE FROM captures WHERE account_id = ? AND subject_kind = ? AND subject_id = ?", arguments: [account, kind.rawValue, id])
            if kind == .call { try db.execute(sql: "DELETE FROM conversions WHERE account_id = ? AND call_id = ?", arguments: [account, id]) }
        }
        return ids.count
    }
}
