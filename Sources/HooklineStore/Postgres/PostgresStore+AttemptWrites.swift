import Foundation
import HooklineCore
import PostgresNIO

/// Writing a batch of recorded attempts: the attempts, their deliveries' changes and the calls'
/// next deliveries in one statement over JSON arrays of rows (`RecordSQL.WriteAttempts`), then
/// what receivers answered about their calls.
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
        let releases: [JSONValue] = given.filter(\.transition.releasesNextOfSubject).map { result, row, _ in
            .object(JSONObject([
                ("delivery_id", .string(result.deliveryID)), ("webhook_id", .string(row.keys.webhookID)), ("subject_kind", .string(row.keys.subjectKind.rawValue)),
                ("subject_id", .string(row.keys.subjectID)), ("now", .integer(result.now.millisecondsSince1970)),
            ]))
        }
        // The rows' states were read under their webhooks' locks.
        let inserted = Set(
            try await connection.rows(
                RecordSQL.WriteAttempts.self, binding: JSONValue.array(attempts).jsonText, JSONValue.array(try deliveryChanges(given)).jsonText,
                JSONValue.array(releases).jsonText, logger: logger
            ).map { try $0.column("delivery_id", as: String.self) })
        let recorded = given.filter { inserted.contains($0.result.deliveryID) }
        for (_, row, transition) in recorded where !transition.captures.isEmpty {
            // The subject's row is locked: read, merge and write cannot interleave with another record.
            let known = try await captured(accountID: row.keys.accountID, subjectKind: row.keys.subjectKind.rawValue, subjectID: row.keys.subjectID, connection: connection, logger: logger)
            try await connection.run(
                """
                INSERT INTO captures (account_id, subject_kind, subject_id, token_values)
                VALUES (\(row.keys.accountID), \(row.keys.subjectKind.rawValue), \(row.keys.subjectID), \(known.merging(transition.captures).jsonText))
                ON CONFLICT (account_id, subject_kind, subject_id) DO UPDATE SET token_values = excluded.token_values
                """, logger: logger)
        }
        for (webhookID, died) in Dictionary(grouping: recorded.filter(\.transition.countsDead), by: \.row.keys.webhookID) {
            try await connection.run("UPDATE webhooks SET dead_count = dead_count + \(died.count) WHERE id = \(webhookID)", logger: logger)
        }
        return recorded
    }

    /// Each attempt's change to its delivery, as the JSON rows the update reads.
    private static func deliveryChanges(_ given: [(result: AttemptResult, row: Current, transition: AttemptTransition)]) throws -> [JSONValue] {
        try given.map { result, _, transition in
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
