import HooklineCore
import PostgresNIO

extension PostgresStore {
    /// Old rows are found by their time-ordered ids (`Identifier.bound`), on the primary keys: no
    /// index of their own to write at every ingest.
    public func purge(_ plan: PurgePlan) async throws -> Purged {
        let limit = plan.limit
        let deliveryBound = Identifier.bound("dlv", before: plan.finishedBefore)
        let eventBound = Identifier.bound("evt", before: plan.eventsBefore)
        let (finishedMs, idleMs, keysMs) = (plan.finishedBefore.millisecondsSince1970, plan.idleSubjectsBefore.millisecondsSince1970, plan.keysBefore.millisecondsSince1970)
        let finished = plan.finishedStatuses.map(\.rawValue)
        let deliveries = try await transaction { [logger] connection in
            try await connection.rows(
                """
                DELETE FROM deliveries WHERE id IN (
                    SELECT id FROM deliveries WHERE id < \(deliveryBound) AND status = ANY(\(finished)) AND updated_at < \(finishedMs)
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
        let subjects = try await transaction { [logger] connection in
            try await Self.purgeSubjects(connection, table: "calls", kind: .call, lastActivity: "COALESCE(ended_at, started_at)", before: idleMs, limit: limit, logger: logger)
                + Self.purgeSubjects(connection, table: "leads", kind: .lead, lastActivity: "COALESCE(updated_at, created_at)", before: idleMs, limit: limit, logger: logger)
        }
        let keys = try await transaction { [logger] connection in
            let idempotency = try await connection.rows(
                """
                DELETE FROM idempotency_keys WHERE (account_id, key) IN (
                    SELECT account_id, key FROM idempotency_keys WHERE created_at < \(keysMs) LIMIT \(limit) FOR UPDATE SKIP LOCKED)
                RETURNING key
                """, logger: logger
            ).count
            let throttles = try await connection.rows(
                """
                DELETE FROM sign_in_throttles WHERE key IN (
                    SELECT key FROM sign_in_throttles WHERE last_failure < \(keysMs) AND reserved_until < \(keysMs) LIMIT \(limit) FOR UPDATE SKIP LOCKED)
                RETURNING key
                """, logger: logger
            ).count
            return idempotency + throttles
        }
        return Purged(deliveries: deliveries, events: events, subjects: subjects, keys: keys)
    }

    /// Calls or leads last heard of before `before` that no delivery refers to, with their captures.
    private static func purgeSubjects(
        _ connection: PostgresConnection, table: String, kind: SubjectKind, lastActivity: String, before: Int64, limit: Int, logger: Logger
    ) async throws -> Int {
        // The table and expression are this file's constants, never input.
        let sql = """
            WITH gone AS (
                DELETE FROM \(table) WHERE (account_id, id) IN (
                    SELECT account_id, id FROM \(table) s WHERE \(lastActivity) < $1 AND NOT EXISTS (
                        SELECT 1 FROM deliveries d WHERE d.account_id = s.account_id AND d.subject_id = s.id)
                    LIMIT $2 FOR UPDATE SKIP LOCKED)
                RETURNING account_id, id),
            captured AS (
                DELETE FROM captures c USING gone WHERE c.account_id = gone.account_id AND c.subject_kind = $3 AND c.subject_id = gone.id),
            converted AS (
                DELETE FROM conversions v USING gone WHERE $3 = 'call' AND v.account_id = gone.account_id AND v.call_id = gone.id)
            SELECT count(*) AS gone FROM gone
            """
        var bindings = PostgresBindings()
        bindings.append(before)
        bindings.append(limit)
        bindings.append(kind.rawValue)
        return try await connection.rows(PostgresQuery(unsafeSQL: sql, binds: bindings), logger: logger).first?.column("gone", as: Int.self) ?? 0
    }
}
