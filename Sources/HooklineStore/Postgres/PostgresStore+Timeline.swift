import HooklineCore
import PostgresNIO

extension PostgresStore {
    public func events(accountID: String, subject: SubjectKind, subjectID: String, limit: Int) async throws -> [SubjectEvent] {
        let kinds = EventKind.allCases.filter { $0.subject == subject }.map(\.rawValue)
        return try await rows(
            """
            SELECT id, kind, subject_version, token_values, created_at, source_id FROM events
            WHERE account_id = \(accountID) AND subject_id = \(subjectID) AND kind = ANY(\(kinds))
            ORDER BY created_at, COALESCE(subject_version, 0), id LIMIT \(limit)
            """
        ).compactMap { row in
            guard let kind = EventKind(rawValue: try row.column("kind")) else { return nil }
            return SubjectEvent(
                id: try row.column("id"), kind: kind, version: try row.column("subject_version"), values: try Self.object(try row.column("token_values")),
                receivedAt: try row.time("created_at"), sourceID: try row.column("source_id"))
        }
    }

    public func conversionCandidates(accountID: String, match: ConversionMatch) async throws -> [ConversionMatch.Candidate] {
        try await rows(
            """
            SELECT id, started_at FROM calls
            WHERE account_id = \(accountID) AND caller = \(match.caller) AND started_at >= \(match.from.millisecondsSince1970)
                AND started_at <= \(match.to.millisecondsSince1970)
            ORDER BY started_at DESC LIMIT \(ConversionMatch.candidatesRead)
            """
        ).map { ConversionMatch.Candidate(callID: try $0.column("id"), startedAt: try $0.time("started_at")) }
    }
}
