import HooklineCore
import PostgresNIO

extension PostgresStore {
    public func heartbeat(owner: String, now: Timestamp) async throws {
        try await transaction { [logger] connection in
            try await connection.run(
                """
                INSERT INTO workers (owner, started_at, heartbeat_at) VALUES (\(owner), \(now.millisecondsSince1970), \(now.millisecondsSince1970))
                ON CONFLICT (owner) DO UPDATE SET heartbeat_at = excluded.heartbeat_at
                """, logger: logger)
        }
    }

    /// Also the sweep that sets the due time of webhooks an ingest could not reach (see
    /// `ingest`): run by every living worker at each heartbeat, it skips webhooks others hold.
    public func releaseLeasesOfSilentWorkers(silentBefore: Timestamp, now: Timestamp) async throws -> Int {
        try await transaction { [logger] connection in
            let released = try await Self.releaseLeases(of: .silentBefore(silentBefore.millisecondsSince1970), now: now, connection: connection, logger: logger)
            try await connection.run("DELETE FROM workers WHERE heartbeat_at < \(silentBefore.millisecondsSince1970)", logger: logger)
            try await connection.run(
                """
                UPDATE webhooks w SET next_due_at = d.due
                FROM (SELECT webhook_id, MIN(next_attempt_at) AS due FROM deliveries
                      WHERE status = 'pending' AND lease_owner IS NULL AND next_attempt_at IS NOT NULL GROUP BY webhook_id) d
                WHERE w.id = d.webhook_id AND (w.next_due_at IS NULL OR w.next_due_at > d.due)
                    AND w.id IN (SELECT id FROM webhooks WHERE enabled ORDER BY id FOR NO KEY UPDATE SKIP LOCKED)
                """, logger: logger)
            return released
        }
    }

    /// Several processes may deliver from one PostgreSQL database, so none can tell that the
    /// leases of others are orphans: theirs are released once their heartbeats stop.
    public func claimSoleDelivery(owner: String) async throws -> Bool {
        false
    }

    public func releaseLeases(notHeldBy owner: String, now: Timestamp) async throws -> Int {
        try await transaction { [logger] connection in
            let released = try await Self.releaseLeases(of: .allBut(owner), now: now, connection: connection, logger: logger)
            try await connection.run("DELETE FROM workers WHERE owner <> \(owner)", logger: logger)
            return released
        }
    }
}
