import GRDB
import HooklineCore

extension SQLiteStore {
    public func events(accountID: String, subject: SubjectKind, subjectID: String, limit: Int) async throws -> [SubjectEvent] {
        let kinds = EventKind.allCases.filter { $0.subject == subject }.map(\.rawValue)
        return try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT id, kind, subject_version, token_values, created_at, source_id FROM events INDEXED BY events_by_subject
                    WHERE account_id = ? AND subject_id = ? AND kind IN (\(kinds.map { _ in "?" }.joined(separator: ", ")))
                    ORDER BY created_at, COALESCE(subject_version, 0), id LIMIT ?
                    """,
                arguments: StatementArguments([accountID, subjectID] + kinds) + [limit]
            ).compactMap { row in
                guard let kind = EventKind(rawValue: row["kind"]) else { return nil }
                return SubjectEvent(
                    id: row["id"], kind: kind, version: row["subject_version"], values: try Self.object(row["token_values"]),
                    receivedAt: Timestamp(millisecondsSince1970: row["created_at"]), sourceID: row["source_id"])
            }
        }
    }

    public func conversionCandidates(accountID: String, match: ConversionMatch) async throws -> [ConversionMatch.Candidate] {
        try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT id, started_at FROM calls INDEXED BY calls_by_caller
                    WHERE account_id = ? AND caller = ? AND started_at >= ? AND started_at <= ? ORDER BY started_at DESC LIMIT ?
                    """,
                arguments: [accountID, match.caller, match.from.millisecondsSince1970, match.to.millisecondsSince1970, ConversionMatch.candidatesRead]
            ).map { ConversionMatch.Candidate(callID: $0["id"], startedAt: Timestamp(millisecondsSince1970: $0["started_at"])) }
        }
    }
}
