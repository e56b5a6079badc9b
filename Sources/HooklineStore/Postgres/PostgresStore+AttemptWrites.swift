import Foundation
import HooklineCore
import PostgresNIO

/// Writing a batch of recorded attempts: the attempts, their deliveries' changes, what receivers
/// answered about their calls and the calls' next deliveries, each by one statement over a JSON
/// array of rows.
extension PostgresStore {
    /// Writes one round's attempts by their `AttemptTransition`s; answers those written. An attempt
    /// already recorded under its number (a commit whose answer was lost, recorded again) is not.
    static func write(
        _ given: [(result: AttemptResult, row: Current, transition: AttemptTransition)], connection: PostgresConnection, logger: Logger
    ) async throws -> [(result: AttemptResult, row: Current, transition: AttemptTransition)] {
        guard !given.isEmpty else { return [] }
        let attempts: [JSONValue] = given.map { result, _, _ in
            let attempt = result.attempt
            return .object(JSONObject([
                ("delivery_id", .string(result.deliveryID)), ("number", .integer(Int64(attempt.number))),
                ("started_at", .integer(attempt.startedAt.millisecondsSince1970)), ("duration_ms", .integer(Int64(attempt.durationMilliseconds))),
                ("request", .string(attempt.request.storedJSON)), ("response", attempt.response.map { .string($0.storedJSON) } ?? .null),
                ("error_kind", attempt.errorKind.map { .string($0.rawValue) } ?? .null), ("error_message", attempt.errorMessage.map { .string($0) } ?? .null),
            ]))
        }
        let inserted = Set(
            try await connection.rows(
                """
                INSERT INTO attempts (delivery_id, number, started_at, duration_ms, request, response, error_kind, error_message)
                SELECT delivery_id, number, started_at, duration_ms, request, response, error_kind, error_message
                FROM jsonb_to_recordset(\(JSONValue.array(attempts).jsonText)::jsonb) AS r(delivery_id text, number integer, started_at bigint,
                    duration_ms bigint, request text, response text, error_kind text, error_message text)
                ON CONFLICT (delivery_id, number) DO NOTHING
                RETURNING delivery_id
                """, logger: logger
            ).map { try $0.column("delivery_id", as: String.self) })
        let recorded = given.filter { inserted.contains($0.result.deliveryID) }
        guard !recorded.isEmpty else { return [] }
        let changes = try deliveryChanges(recorded)
        // Only what `changesDelivery` allows changes state: a late duplicate never undoes a
        // delivery. The rows' states were read under their webhooks' locks.
        try await connection.run(
            """
            UPDATE deliveries d SET
                attempt_count = GREATEST(d.attempt_count, r.number),
                schedule_attempts = d.schedule_attempts + r.schedules,
                status = CASE WHEN r.changes THEN r.status ELSE d.status END,
                next_attempt_at = CASE WHEN r.changes THEN r.next_attempt_at ELSE d.next_attempt_at END,
                lease_owner = CASE WHEN r.changes THEN NULL ELSE d.lease_owner END,
                content_type = CASE WHEN d.payload IS NULL THEN r.content_type ELSE d.content_type END,
                payload_query = CASE WHEN d.payload IS NULL THEN r.payload_query ELSE d.payload_query END,
                payload_headers = CASE WHEN d.payload IS NULL THEN r.payload_headers ELSE d.payload_headers END,
                payload = COALESCE(d.payload, decode(r.payload, 'hex')),
                last_response_status = r.last_response_status,
                last_error = r.last_error,
                updated_at = r.now
            FROM jsonb_to_recordset(\(JSONValue.array(changes).jsonText)::jsonb) AS r(id text, number integer, changes boolean, schedules integer, status text, next_attempt_at bigint,
                content_type text, payload_query text, payload_headers text, payload text, last_response_status integer, last_error text, now bigint)
            WHERE d.id = r.id
            """, logger: logger)
        for (_, row, transition) in recorded where !transition.captures.isEmpty {
            // The subject's row is locked: read, merge and write cannot interleave with another record.
            let known = try await captured(accountID: row.accountID, subjectKind: row.subjectKind, subjectID: row.subjectID, connection: connection, logger: logger)
            try await connection.run(
                """
                INSERT INTO captures (account_id, subject_kind, subject_id, token_values)
                VALUES (\(row.accountID), \(row.subjectKind), \(row.subjectID), \(known.merging(transition.captures).jsonText))
                ON CONFLICT (account_id, subject_kind, subject_id) DO UPDATE SET token_values = excluded.token_values
                """, logger: logger)
        }
        for (webhookID, died) in Dictionary(grouping: recorded.filter(\.transition.countsDead), by: \.row.webhookID) {
            try await connection.run("UPDATE webhooks SET dead_count = dead_count + \(died.count) WHERE id = \(webhookID)", logger: logger)
        }
        let releases: [JSONValue] = recorded.filter(\.transition.releasesNextOfSubject).map { result, row, _ in
            .object(JSONObject([
                ("webhook_id", .string(row.webhookID)), ("subject_kind", .string(row.subjectKind)), ("subject_id", .string(row.subjectID)),
                ("now", .integer(result.now.millisecondsSince1970)),
            ]))
        }
        guard !releases.isEmpty else { return recorded }
        try await connection.run(
            """
            UPDATE deliveries SET next_attempt_at = next.now FROM (
                SELECT DISTINCT ON (d.webhook_id, d.subject_kind, d.subject_id) d.id, r.now
                FROM jsonb_to_recordset(\(JSONValue.array(releases).jsonText)::jsonb) AS r(webhook_id text, subject_kind text, subject_id text, now bigint)
                JOIN deliveries d ON d.webhook_id = r.webhook_id AND d.subject_kind = r.subject_kind AND d.subject_id = r.subject_id
                WHERE d.status = 'pending' AND d.next_attempt_at IS NULL
                ORDER BY d.webhook_id, d.subject_kind, d.subject_id, d.seq) AS next
            WHERE deliveries.id = next.id AND deliveries.held_until IS NULL
            """, logger: logger)
        return recorded
    }

    /// Each attempt's change to its delivery, as the JSON rows the update reads.
    private static func deliveryChanges(_ recorded: [(result: AttemptResult, row: Current, transition: AttemptTransition)]) throws -> [JSONValue] {
        try recorded.map { result, _, transition in
            let payload = result.renderedPayload
            return .object(JSONObject([
                ("id", .string(result.deliveryID)), ("number", .integer(Int64(result.attempt.number))),
                ("changes", .bool(transition.changesDelivery)), ("schedules", .integer(transition.schedulesAttempt ? 1 : 0)),
                ("status", .string(transition.status.rawValue)), ("next_attempt_at", transition.nextAttemptAt.map { .integer($0.millisecondsSince1970) } ?? .null),
                ("content_type", payload?.contentType.map { .string($0) } ?? .null), ("payload_query", payload?.query.map { .string($0) } ?? .null),
                ("payload_headers", try payload.map { .string(try encode($0.headers)) } ?? .null),
                ("payload", payload.map { .string(Hex.encode($0.body)) } ?? .null),
                ("last_response_status", result.attempt.response.map { .integer(Int64($0.status)) } ?? .null),
                ("last_error", result.attempt.errorMessage.map { .string($0) } ?? .null), ("now", .integer(result.now.millisecondsSince1970)),
            ]))
        }
    }
}
