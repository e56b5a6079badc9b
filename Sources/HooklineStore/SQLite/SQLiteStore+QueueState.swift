import GRDB
import HooklineCore

/// When a webhook is next due (`webhooks.next_due_at`), from its queue's state as `LeasePolicy`
/// reads it (`WebhookQueueState`): read in one statement, and after a lease from that read and
/// what the lease changed.
extension SQLiteStore {
    /// Webhook `?`'s deliveries leased, by any worker, and neither recorded nor run out at `?`.
    private static let leasedDeliveries = """
        FROM deliveries INDEXED BY deliveries_leased
        WHERE webhook_id = ? AND status = 'pending' AND next_attempt_at > ? AND lease_owner IS NOT NULL
        """

    /// How many of a webhook's deliveries are leased (`leasedDeliveries`).
    static func leasedRows(webhookID: String, now: Int64, db: Database) throws -> Int {
        try Int.cachedOne(db, sql: "SELECT COUNT(*) " + leasedDeliveries, arguments: [webhookID, now]) ?? 0
    }

    /// Moves a webhook's due time earlier (a delivery became due), never later.
    static func advanceDueTime(webhookID: String, to due: Int64, db: Database) throws {
        try db.run(
            sql: "UPDATE webhooks SET next_due_at = MIN(COALESCE(next_due_at, ?), ?) WHERE id = ?",
            arguments: [due, due, webhookID])
    }

    /// Recomputes when a webhook next has something to lease: its earliest waiting delivery while
    /// it has free slots, else its earliest lease to run out; when failing, the probe time (or the
    /// probe's lease running out); by `LeasePolicy.dueTime`.
    static func refreshDueTime(webhookID: String, now: Timestamp, db: Database) throws {
        guard let state = try queueState(webhookID: webhookID, now: now, db: db) else { return }
        try setDueTime(webhookID: webhookID, state.dueTime(now: now), db: db)
    }

    /// The first delivery of webhook `?` waiting at `?`: pending with a time, and not leased then.
    /// ORDER BY … LIMIT 1 walks the queue index and stops at the first match; MIN() with these
    /// conditions would read every pending delivery of the webhook.
    static let firstWaitingSQL = """
        SELECT next_attempt_at FROM deliveries INDEXED BY deliveries_queue
        WHERE webhook_id = ? AND status = 'pending' AND next_attempt_at IS NOT NULL AND (lease_owner IS NULL OR next_attempt_at <= ?)
        ORDER BY next_attempt_at LIMIT 1
        """

    /// What `LeasePolicy` needs of a webhook at `now`, in one statement; nil when the webhook is gone.
    static func queueState(webhookID: String, now: Timestamp, db: Database) throws -> WebhookQueueState? {
        let ms = now.millisecondsSince1970
        return try Row.cachedFirst(db,
            sql: """
                SELECT w.health_state, w.next_probe_at, w.paused_until, w.rate_empty_until, w.max_in_flight, leased.count, leased.first_expiry,
                    (\(firstWaitingSQL)) AS first_waiting
                FROM webhooks w, (SELECT COUNT(*) AS count, MIN(next_attempt_at) AS first_expiry \(leasedDeliveries)) AS leased
                WHERE w.id = ?
                """,
            arguments: [webhookID, ms, webhookID, ms, webhookID]
        ) { row in
            WebhookQueueState(
                health: EndpointHealth(
                    state: EndpointHealth.State(rawValue: row["health_state"]) ?? .healthy,
                    nextProbeAt: (row["next_probe_at"] as Int64?).map(Timestamp.init(millisecondsSince1970:)),
                    pausedUntil: (row["paused_until"] as Int64?).map(Timestamp.init(millisecondsSince1970:))),
                maxInFlight: row["max_in_flight"], inFlight: row["count"], firstWaiting: (row["first_waiting"] as Int64?).map(Timestamp.init(millisecondsSince1970:)),
                firstExpiry: (row["first_expiry"] as Int64?).map(Timestamp.init(millisecondsSince1970:)),
                rateWait: (row["rate_empty_until"] as Int64?).map(Timestamp.init(millisecondsSince1970:)))
        }
    }

    static func setDueTime(webhookID: String, _ due: Timestamp?, db: Database) throws {
        try db.run(sql: "UPDATE webhooks SET next_due_at = ? WHERE id = ?", arguments: [due?.millisecondsSince1970, webhookID])
    }
}
