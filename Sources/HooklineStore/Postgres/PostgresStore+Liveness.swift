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

    public func releaseLeasesOfSilentWorkers(silentBefore: Timestamp, now: Timestamp) async throws -> Int {
        try await transaction { [logger] connection in
            let released = try await Self.releaseLeases(of: .silentBefore(silentBefore.millisecondsSince1970), now: now, connection: connection, logger: logger)
            try await connection.run("DELETE FROM workers WHERE heartbeat_at < \(silentBefore.millisecondsSince1970)", logger: logger)
            return released
        }
    }

    /// Each enabled webhook's earliest unleased delivery, one index probe each (the queue's index
    /// is in due order): the sweep costs the same however long the queue. Only the webhooks whose
    /// due time is late are locked, and those others hold are skipped.
    public func sweepLateDueTimes(now: Timestamp) async throws {
        try await transaction { [logger] connection in
            try await connection.run(
                """
                WITH due AS (
                    SELECT w.id, w.next_due_at, (
                        SELECT d.next_attempt_at FROM deliveries d
                        WHERE d.webhook_id = w.id AND d.status = 'pending' AND d.lease_owner IS NULL AND d.next_attempt_at IS NOT NULL
                        ORDER BY d.next_attempt_at LIMIT 1) AS due
                    FROM webhooks w WHERE w.enabled),
                late AS (
                    SELECT w.id, due.due FROM webhooks w JOIN due ON due.id = w.id
                    WHERE due.due IS NOT NULL AND (due.next_due_at IS NULL OR due.next_due_at > due.due)
                    FOR NO KEY UPDATE OF w SKIP LOCKED)
                UPDATE webhooks w SET next_due_at = late.due FROM late WHERE w.id = late.id AND (w.next_due_at IS NULL OR w.next_due_at > late.due)
                """, logger: logger)
        }
    }

    public func foldPendingCount() async throws {
        try await transaction { [logger] connection in
            try await connection.run(
                """
                WITH folded AS (
                    DELETE FROM pending_count_deltas WHERE id IN (
                        SELECT id FROM pending_count_deltas ORDER BY id LIMIT 10000 FOR UPDATE SKIP LOCKED)
                    RETURNING delta)
                UPDATE pending_count SET pending = pending + (SELECT COALESCE(SUM(delta), 0) FROM folded)
                """, logger: logger)
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
