import HooklineCore

/// A bulk replay's table and the part of its filter both engines write the same way: the
/// outcomes, kinds and time window, all from closed sets or whole numbers (ids are bound by each
/// engine in its own way).
enum ReplaySQL {
    static func createTable(timestamp: String) -> String {
        """
        CREATE TABLE replay_jobs (
            id TEXT PRIMARY KEY,
            account_id TEXT NOT NULL REFERENCES accounts(id),
            filter TEXT NOT NULL,
            status TEXT NOT NULL,
            total INTEGER NOT NULL,
            replayed INTEGER NOT NULL,
            cursor TEXT,
            created_at \(timestamp) NOT NULL,
            updated_at \(timestamp) NOT NULL
        );
        CREATE INDEX replay_jobs_by_account ON replay_jobs (account_id, id);
        CREATE INDEX replay_jobs_running ON replay_jobs (created_at) WHERE status = 'running';
        """
    }

    /// The conditions on `d`, a deliveries row, besides its account, webhook and subjects.
    static func fixedConditions(_ filter: ReplayFilter) -> String {
        let outcomes = filter.outcomes.map { outcome in
            switch outcome {
            case .dead: "d.status = 'dead'"
            case .delivered: "d.status = 'delivered'"
            case .failed: "(d.status = 'pending' AND d.attempt_count > 0 AND d.held_until IS NULL)"
            }
        }
        var parts = ["(" + (outcomes.isEmpty ? "FALSE" : outcomes.joined(separator: " OR ")) + ")"]
        if !filter.kinds.isEmpty { parts.append("d.event_kind IN (" + filter.kinds.map { "'\($0.rawValue)'" }.joined(separator: ", ") + ")") }
        if let from = filter.from { parts.append("d.created_at >= \(from.millisecondsSince1970)") }
        if let to = filter.to { parts.append("d.created_at < \(to.millisecondsSince1970)") }
        return parts.joined(separator: " AND ")
    }
}
