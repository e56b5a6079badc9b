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
        // The rows' states were read under their webhooks' locks.
        let inserted = Set(
            try await connection.rows(
                RecordSQL.WriteAttempts.self,
                binding: given.map(\.result.deliveryID), attempts.map { Int64($0.number) }, attempts.map(\.startedAt.millisecondsSince1970),
                attempts.map { Int64($0.durationMilliseconds) }, attempts.map(\.request.storedJSON), attempts.map { $0.response?.storedJSON },
                attempts.map { $0.errorKind?.rawValue }, attempts.map(\.errorMessage),
                given.map(\.transition.changesDelivery), given.map { Int64($0.transition.schedulesAttempt ? 1 : 0) },
                given.map(\.transition.status.rawValue), given.map { $0.transition.nextAttemptAt?.millisecondsSince1970 },
                payloads.map { $0?.contentType }, payloads.map { $0?.query }, try payloads.map { try $0.map { try encode($0.headers) } },
                payloads.map { $0.map { ByteBuffer(bytes: $0.body) } }, attempts.map { $0.response.map { Int64($0.status) } },
                given.map(\.result.now.millisecondsSince1970),
                releases.map(\.result.deliveryID), releases.map(\.row.keys.webhookID), releases.map(\.row.keys.subjectKind.rawValue),
                releases.map(\.row.keys.subjectID), releases.map(\.result.now.millisecondsSince1970), logger: logger
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
}
