import HooklineCore
import PostgresNIO

/// A call or lead a transaction continues, by the key its row is locked under.
struct SubjectRow: Hashable, Sendable {
    let kind: SubjectKind
    let accountID: String
    let id: String
}

/// The rows of calls and leads, locked in the one order every writer takes them in.
enum SubjectLocks {
    enum Calls: PreparedSQL {
        static let sql = "SELECT 1 FROM calls WHERE (account_id, id) IN (SELECT * FROM unnest($1::text[], $2::text[])) ORDER BY account_id, id FOR UPDATE"
    }

    enum Leads: PreparedSQL {
        static let sql = "SELECT 1 FROM leads WHERE (account_id, id) IN (SELECT * FROM unnest($1::text[], $2::text[])) ORDER BY account_id, id FOR UPDATE"
    }

    /// Locks the rows of `subjects` that exist: every call, then every lead (a webhook's own test
    /// deliveries have no row), each kind by its key (account, id), whatever accounts they belong
    /// to. A batch of ingests and a round of attempt records both hold several; had one taken them
    /// account by account and the other kind by kind, each could hold a row the other waits for.
    /// Rows are locked in the order the statement returns them.
    static func lock(_ subjects: some Sequence<SubjectRow>, connection: PostgresConnection, logger: Logger) async throws {
        let unique = Set(subjects)
        let (calls, leads) = (unique.filter { $0.kind == .call }, unique.filter { $0.kind == .lead })
        if !calls.isEmpty { try await connection.run(Calls.self, binding: calls.map(\.accountID), calls.map(\.id), logger: logger) }
        if !leads.isEmpty { try await connection.run(Leads.self, binding: leads.map(\.accountID), leads.map(\.id), logger: logger) }
    }
}
