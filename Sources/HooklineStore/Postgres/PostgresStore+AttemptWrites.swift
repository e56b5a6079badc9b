import Foundation
import HooklineCore
import PostgresNIO

/// Writing a batch of recorded attempts: the attempts, their deliveries' changes and the calls'
/// next deliveries in one statement, each column bound as an array (`RecordSQL.WriteAttempts`), then
/// what receivers answered about their calls.
extension PostgresStore {
    /// Writes one round's attempts by their `AttemptTransition`s; answers those written. An attempt
    /// already recorded under its number (a commit whose answer was lost, recorded again) is not.
    static func write(
        _ given: [(result: AttemptResult, row: Current, transition: AttemptTransition)], connection: PostgresConnection, logger: Logger
    ) async throws -> [(result: AttemptResult, row: Current, transition: AttemptTransition)] {
        guard !given.isEmpty else { return [] }
        let attempts = given.map(\.result.attempt)
        let payloads = given.map(\.result.renderedPayload)
        let releases = given.filter(\.transition.releasesNextOfSubject)
        let columns = RecordSQL.WriteAttempts.Columns(
            deliveryIDs: given.map(\.result.deliveryID), numbers: attempts.map { Int64($0.number) },
            startedAt: attempts.map(\.startedAt.millisecondsSince1970), durationMilliseconds: attempts.map { Int64($0.durationMilliseconds) },
            requests: attempts.map(\.request.storedJSON), responses: attempts.map { $0.response?.storedJSON }, errorKinds: attempts.map { $0.errorKind?.rawValue },
            errorMessages: attempts.map(\.errorMessage),
            changesDelivery: given.map(\.transition.changesDelivery), schedulesAttempt: given.map { Int64($0.transition.schedulesAttempt ? 1 : 0) },
            statuses: given.map(\.transition.status.rawValue), nextAttemptAt: given.map { $0.transition.nextAttemptAt?.millisecondsSince1970 },
            contentTypes: payloads.map { $0?.contentType }, payloadQueries: payloads.map { $0?.query },
            payloadHeaders: payloads.map { $0.map { HeaderField.payloadJSON($0.headers) } }, payloads: payloads.map { $0.map { ByteBuffer(bytes: $0.body) } },
            responseStatuses: attempts.map { $0.response.map { Int64($0.status) } }, now: given.map(\.result.now.millisecondsSince1970),
            releasingDeliveryIDs: releases.map(\.result.deliveryID), releasedWebhookIDs: releases.map(\.row.keys.webhookID),
            releasedSubjectKinds: releases.map(\.row.keys.subjectKind.rawValue), releasedSubjectIDs: releases.map(\.row.keys.subjectID),
            releasedAt: releases.map(\.result.now.millisecondsSince1970))
        // The rows' states were read under their webhooks' locks.
        let inserted = Set(
            try await connection.rows(RecordSQL.WriteAttempts.self, binding: columns, logger: logger).map { try $0.column("delivery_id", as: String.self) })
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
}
