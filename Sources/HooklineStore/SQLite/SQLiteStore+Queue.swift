import Foundation
import GRDB
import HooklineCore

/// The delivery queue. It is a queue of webhooks (`webhooks.next_due_at`), each with its own
/// queue of deliveries (`deliveries_queue`): leasing walks the webhooks that are due and takes
/// from each what its in-flight limit and health allow, so a backlog or a hanging receiver at one
/// webhook never stands in front of another.
///
/// A leased delivery's `next_attempt_at` is when its lease runs out: the same index finds due
/// deliveries and those whose worker died.
///
/// The hot queries name their index (`INDEXED BY`): without statistics SQLite's planner once
/// picked an index that made every ingest scan all pending deliveries.
extension SQLiteStore {
    /// Webhooks looked at per lease; more are reached by the next lease.
    static let webhooksPerLease = 256

    public func leaseDueDeliveries(to offer: any LeaseOffer, now: Timestamp) async throws -> [DeliveryJob] {
        let cache = webhookCache
        // Through group commit: a lease shares its transaction (and fsync) with attempt records.
        // A lease lost with the machine leaves its delivery pending: sent once more, at least once.
        return try await groupWrite(durability: .withSystem) { db in
            let ms = now.millisecondsSince1970
            let webhooks = try Row.cachedMap(db,
                sql: "SELECT * FROM webhooks INDEXED BY webhooks_due WHERE enabled = 1 AND next_due_at IS NOT NULL AND next_due_at <= ? ORDER BY next_due_at LIMIT ?",
                arguments: [ms, Self.webhooksPerLease], cache.webhook)
            var jobs: [DeliveryJob] = []
            var exhausted = false
            for webhook in webhooks where !exhausted {
                jobs += try Self.lease(from: webhook, now: now, offer: offer, db: db) { count in
                    let claimed = offer.claim(upTo: count)
                    exhausted = claimed < count
                    return claimed
                }
            }
            return jobs
        }
    }

    /// The lease query's rows: a pending delivery, its event's values and its subject's captures.
    private static let leaseSelect = """
        SELECT d.*, COALESCE(d.render_values, e.token_values) AS token_values, e.trace_parent, c.token_values AS captured
        FROM deliveries d INDEXED BY deliveries_queue JOIN events e ON e.id = d.event_id
        LEFT JOIN captures c ON c.account_id = d.account_id AND c.subject_id = d.subject_id AND c.subject_kind = d.subject_kind
        WHERE d.webhook_id = ? AND d.status = 'pending'
        """

    /// Leases from one webhook: due deliveries while it is healthy, up to its free in-flight slots,
    /// or its one probe at the probe time while it is failing; of those, as many as `take` grants
    /// (slots are claimed for what is there, so none is held for nothing while the transaction
    /// goes on). Sets its due time from the state read first and what the lease changed.
    static func lease(from webhook: Webhook, now: Timestamp, offer: any LeaseOffer, db: Database, take: (_ count: Int) -> Int) throws -> [DeliveryJob] {
        let ms = now.millisecondsSince1970
        guard let state = try queueState(webhookID: webhook.id, now: now, db: db) else { return [] }
        let allowance = webhook.settings.rateLimit?.allowance(webhook.rateBucket, now: now) ?? .max
        let due: [DeliveryJob] =
            switch LeasePolicy.take(
                health: webhook.health, maxInFlight: webhook.settings.maxInFlight, leasedRows: state.inFlight,
                inFlight: offer.requestsInFlight(leasedRows: state.inFlight, webhookID: webhook.id), allowance: allowance, firstWaiting: state.firstWaiting,
                now: now)
            {
            case .nothing: []
            case .due(let limit):
                try Row.cachedMap(db,
                    sql: leaseSelect + " AND d.next_attempt_at <= ? ORDER BY d.next_attempt_at, d.rowid LIMIT ?",
                    arguments: [webhook.id, ms, limit]) { try job($0, webhook: webhook) }
            case .probe:
                try Row.cachedMap(db,
                    sql: leaseSelect + """
                         AND d.next_attempt_at IS NOT NULL AND (d.lease_owner IS NULL OR d.next_attempt_at <= ?)
                        ORDER BY d.next_attempt_at, d.rowid LIMIT 1
                        """,
                    arguments: [webhook.id, ms]) { try job($0, webhook: webhook) }
            }
        let leased = due.isEmpty ? [] : Array(due.prefix(take(due.count)))
        var after = state
        if !leased.isEmpty {
            for job in leased {
                try db.run(
                    sql: "UPDATE deliveries SET lease_owner = ?, next_attempt_at = ? WHERE id = ?",
                    arguments: [offer.owner, offer.leaseUntil.millisecondsSince1970, job.delivery.id])
            }
            // Read after the updates, which the transaction sees: the leased ones are no longer waiting.
            after = state.leasing(
                leased.count, until: offer.leaseUntil,
                firstWaiting: try Int64.cachedOne(db, sql: firstWaitingSQL, arguments: [webhook.id, ms]).map(Timestamp.init(millisecondsSince1970:)))
        }
        if let limit = webhook.settings.rateLimit, !leased.isEmpty || allowance == 0 {
            let bucket = limit.spending(leased.count, from: webhook.rateBucket, now: now)
            try db.run(
                sql: "UPDATE webhooks SET rate_tokens = ?, rate_refilled_at = ?, rate_empty_until = ? WHERE id = ?",
                arguments: [bucket.tokens, bucket.refilledAt?.millisecondsSince1970, bucket.emptyUntil?.millisecondsSince1970, webhook.id])
            after.rateWait = bucket.emptyUntil
        }
        try setDueTime(webhookID: webhook.id, after.dueTime(now: now), db: db)
        return leased
    }

    /// A delivery row of the lease query, with its event's values and its subject's captures.
    private static func job(_ row: Row, webhook: Webhook) throws -> DeliveryJob {
        let payload = try (row["payload"] as Data?).map {
            RenderedPayload(
                body: Array($0), contentType: row["content_type"], query: row["payload_query"],
                headers: try (row["payload_headers"] as String?).map(HeaderField.headers(payloadJSON:)) ?? [])
        }
        // What receivers answered about the call or lead (a CRM's order_id) renders too; the
        // join's CASE is `SubjectKind` in SQL.
        var values = try Self.object(row["token_values"])
        if let captured: String = row["captured"] { values = values.merging(try Self.object(captured)) }
        return DeliveryJob(
            delivery: try Self.delivery(row), webhook: webhook, values: values, payload: payload,
            scheduleAttempts: row["schedule_attempts"], scheduleStartedAt: Timestamp(millisecondsSince1970: row["schedule_started_at"]), traceParent: row["trace_parent"])
    }

    public func recordAttempts(_ results: [AttemptResult], leasing offer: (any LeaseOffer)?) async throws -> [DeliveryJob] {
        guard !results.isEmpty else { return [] }
        let encoded = results.map { result in
            (
                request: result.attempt.request.storedJSON, response: result.attempt.response?.storedJSON,
                headers: result.renderedPayload.map { HeaderField.payloadJSON($0.headers) }
            )
        }
        let cache = webhookCache
        let deliveryIDs = results.map(\.deliveryID)
        // Lost with the machine (not the process), an attempt's record sends its delivery again.
        return try await groupWrite(durability: .withSystem) { db in
            // From here their rows' leases tell: released below, or kept (and counted) if this write fails.
            offer?.recording(deliveryIDs: deliveryIDs)
            return try Self.recordAndLease(results, encoded: encoded, leasing: offer, cache: cache, db: db)
        }
    }

    /// Records a batch of attempts, then leases what they let go.
    private static func recordAndLease(
        _ results: [AttemptResult], encoded: [(request: String, response: String?, headers: String?)], leasing offer: (any LeaseOffer)?,
        cache: SQLiteWebhookCache, db: Database
    ) throws -> [DeliveryJob] {
        var touched: [String: Timestamp] = [:]
        for (result, texts) in zip(results, encoded) {
            if let webhookID = try Self.record(result, request: texts.request, response: texts.response, headers: texts.headers, cache: cache, db: db) {
                touched[webhookID] = max(touched[webhookID] ?? result.now, result.now)
            }
        }
        // Once per webhook, however many of its attempts the batch holds. With an offer, what
        // the freed slots let go (the next delivery of a call, a backlog) is leased here too.
        var jobs: [DeliveryJob] = []
        for (webhookID, now) in touched {
            guard let offer,
                let webhook = try Row.cachedFirst(db, sql: "SELECT * FROM webhooks WHERE id = ? AND enabled = 1", arguments: [webhookID], cache.webhook)
            else {
                try Self.refreshDueTime(webhookID: webhookID, now: now, db: db)
                continue
            }
            jobs += try Self.lease(from: webhook, now: now, offer: offer, db: db) {
                offer.claim(upTo: $0)
            }
        }
        return jobs
    }

    /// Records one attempt; answers its webhook, whose due time the caller refreshes.
    private static func record(_ result: AttemptResult, request: String, response: String?, headers: String?, cache: SQLiteWebhookCache, db: Database) throws -> String? {
        typealias Current = (webhookID: String, subjectID: String, wasPending: Bool, accountID: String, subjectKind: String, leaseOwner: String?)
        guard
            let current = try Row.cachedOne(db,
                sql: "SELECT webhook_id, subject_id, status, account_id, subject_kind, lease_owner FROM deliveries WHERE id = ?", arguments: [result.deliveryID]
            ).map({ row -> Current in
                // By position: a short row read on every attempt.
                (row[0], row[1], row[2] == DeliveryStatus.pending.rawValue, row[3], row[4], row[5])
            })
        else { return nil }  // deleted with its webhook while in flight
        let (webhookID, subjectID, wasPending) = (current.webhookID, current.subjectID, current.wasPending)
        let attempt = result.attempt
        let now = result.now.millisecondsSince1970
        // Keyed by its number: the same attempt recorded again (an answer the caller never saw)
        // adds and changes nothing.
        try db.run(
            sql: """
                INSERT INTO attempts (delivery_id, number, started_at, duration_ms, request, response, error_kind, error_message)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (delivery_id, number) DO NOTHING
                """,
            arguments: [
                result.deliveryID, attempt.number, attempt.startedAt.millisecondsSince1970,
                attempt.durationMilliseconds, request, response, attempt.errorKind?.rawValue, attempt.errorMessage,
            ])
        guard db.changesCount > 0 else { return nil }
        let transition = AttemptTransition(
            verdict: result.verdict, attempt: attempt, captured: result.captured, wasPending: wasPending, leaseHolder: current.leaseOwner,
            recorder: result.leaseOwner, now: result.now)
        let changes = transition.changesDelivery ? 1 : 0
        try db.run(
            sql: """
                UPDATE deliveries SET
                    attempt_count = MAX(attempt_count, ?),
                    schedule_attempts = schedule_attempts + ?,
                    status = CASE WHEN ? = 1 THEN ? ELSE status END,
                    next_attempt_at = CASE WHEN ? = 1 THEN ? ELSE next_attempt_at END,
                    lease_owner = CASE WHEN ? = 1 THEN NULL ELSE lease_owner END,
                    content_type = CASE WHEN payload IS NULL THEN ? ELSE content_type END,
                    payload_query = CASE WHEN payload IS NULL THEN ? ELSE payload_query END,
                    payload_headers = CASE WHEN payload IS NULL THEN ? ELSE payload_headers END,
                    payload = COALESCE(payload, ?),
                    last_response_status = ?,
                    last_error = ?,
                    updated_at = ?
                WHERE id = ?
                """,
            arguments: [
                attempt.number, transition.schedulesAttempt ? 1 : 0, changes, transition.status.rawValue, changes, transition.nextAttemptAt?.millisecondsSince1970, changes,
                result.renderedPayload?.contentType, result.renderedPayload?.query, headers,
                result.renderedPayload.map { Data($0.body) }, attempt.response?.status, attempt.errorMessage, now, result.deliveryID,
            ])
        try writeSubjectEffects(of: transition, subject: (current.accountID, current.subjectKind, subjectID), webhookID: webhookID, now: now, db: db)
        if transition.countsDead { try db.run(sql: "UPDATE webhooks SET dead_count = dead_count + 1 WHERE id = ?", arguments: [webhookID]) }
        try updateHealth(webhookID: webhookID, after: result, transition: transition, cache: cache, db: db)
        return webhookID
    }

    /// What the attempt does to its call or lead: the values the answer captured, and the next
    /// delivery to this webhook it releases.
    private static func writeSubjectEffects(
        of transition: AttemptTransition, subject: (account: String, kind: String, id: String), webhookID: String, now: Int64, db: Database
    ) throws {
        let (account, subjectKind, subjectID) = subject
        if !transition.captures.isEmpty {
            let known = try captured(accountID: account, subjectKind: subjectKind, subjectID: subjectID, db: db)
            try db.run(
                sql: "INSERT OR REPLACE INTO captures (account_id, subject_kind, subject_id, token_values) VALUES (?, ?, ?, ?)",
                arguments: [account, subjectKind, subjectID, known.merging(transition.captures).jsonText])
        }
        // The next in line goes unless it is held: its hold's release sends it.
        if transition.releasesNextOfSubject {
            try db.run(
                sql: """
                    UPDATE deliveries SET next_attempt_at = ? WHERE rowid = (
                    """ + pendingOfSubject + " AND next_attempt_at IS NULL ORDER BY rowid LIMIT 1) AND held_until IS NULL",
                arguments: [now, webhookID, subjectID, subjectKind])
        }
    }

    /// Writes what the attempt does to its webhook, by `WebhookAfterAttempt`.
    private static func updateHealth(webhookID: String, after result: AttemptResult, transition: AttemptTransition, cache: SQLiteWebhookCache, db: Database) throws {
        guard
            let plan = try Row.cachedOne(db, sql: "SELECT health_state, consecutive_failures FROM webhooks WHERE id = ?", arguments: [webhookID])
                .map({ row in
                    WebhookAfterAttempt(
                        transition, attempt: result.attempt, state: EndpointHealth.State(rawValue: row[0]) ?? .healthy, consecutiveFailures: row[1],
                        pauseUntil: result.pausesWebhookUntil)
                }),
            plan.changesWebhook,
            let webhook = try Row.cachedFirst(db, sql: "SELECT * FROM webhooks WHERE id = ?", arguments: [webhookID], cache.webhook)
        else { return }
        let now = result.now.millisecondsSince1970
        if let reason = plan.disabledReason {
            let disabled = webhook.disabled(reason: reason)
            try db.run(
                sql: "UPDATE webhooks SET enabled = 0, settings = ?, disabled_reason = ?, updated_at = ?, revision = revision + 1 WHERE id = ?",
                arguments: [try encode(disabled.settings), disabled.disabledReason, now, webhookID])
        }
        guard plan.judgesHealth else { return }
        let earliestScheduled = try Int64.cachedOne(db,
            sql: """
                SELECT next_attempt_at FROM deliveries INDEXED BY deliveries_queue
                WHERE webhook_id = ? AND status = 'pending' AND next_attempt_at > ? AND lease_owner IS NULL
                ORDER BY next_attempt_at LIMIT 1
                """,
            arguments: [webhookID, now]).map(Timestamp.init(millisecondsSince1970:))
        guard let change = plan.health(of: webhook, after: result.attempt, now: result.now, earliestScheduled: earliestScheduled) else { return }
        let health = change.health
        try db.run(
            sql: """
                UPDATE webhooks SET health_state = ?, consecutive_failures = ?, failing_since = ?, last_error = ?, next_probe_at = ?, paused_until = ?
                WHERE id = ?
                """,
            arguments: [
                health.state.rawValue, health.consecutiveFailures, health.failingSince?.millisecondsSince1970, health.lastError,
                health.nextProbeAt?.millisecondsSince1970, health.pausedUntil?.millisecondsSince1970, webhookID,
            ])
        if change.flushesWaiting {
            try db.run(
                sql: """
                    UPDATE deliveries SET next_attempt_at = ?
                    WHERE webhook_id = ? AND status = 'pending' AND next_attempt_at > ? AND lease_owner IS NULL
                    """,
                arguments: [now, webhookID, now])
        }
    }

    /// Workers in other processes on the same file find new work by polling: SQLite has no way
    /// to tell them.
    public func watchDueDeliveries(_ onDue: @escaping @Sendable () -> Void) async {}

    public func nextDueTime() async throws -> Timestamp? {
        try await pool.read { db in
            try Int64.cachedOne(db, sql: "SELECT next_due_at FROM webhooks WHERE enabled = 1 AND next_due_at IS NOT NULL ORDER BY next_due_at LIMIT 1"
            ).map(Timestamp.init(millisecondsSince1970:))
        }
    }

    public func releaseLeases(owner: String, now: Timestamp) async throws {
        try await write { db in
            _ = try Self.releaseLeases(where: "lease_owner = ?", [owner], now: now, db: db)
            try db.run(sql: "DELETE FROM workers WHERE owner = ?", arguments: [owner])
        }
    }

    public func releaseUnknownLeases(owner: String, keeping kept: Set<String>, leasedUntilBefore: Timestamp, now: Timestamp) async throws -> Int {
        try await write { db in
            let placeholders = Array(repeating: "?", count: kept.count).joined(separator: ", ")
            let values: [any DatabaseValueConvertible] = [owner, leasedUntilBefore.millisecondsSince1970] + kept.sorted()
            return try Self.releaseLeases(
                where: "lease_owner = ? AND next_attempt_at < ?" + (kept.isEmpty ? "" : " AND id NOT IN (\(placeholders))"), StatementArguments(values), now: now, db: db)
        }
    }

    /// Makes the leased pending deliveries that `condition` (on `lease_owner`) picks due at once.
    static func releaseLeases(where condition: String, _ arguments: StatementArguments, now: Timestamp, db: Database) throws -> Int {
        let webhooks = try String.fetchAll(db,
            sql: "SELECT DISTINCT webhook_id FROM deliveries INDEXED BY deliveries_leased WHERE lease_owner IS NOT NULL AND status = 'pending' AND " + condition,
            arguments: arguments)
        guard !webhooks.isEmpty else { return 0 }
        try db.execute(
            sql: """
                UPDATE deliveries INDEXED BY deliveries_leased SET lease_owner = NULL, next_attempt_at = ?
                WHERE lease_owner IS NOT NULL AND status = 'pending' AND
                """ + " " + condition,
            arguments: [now.millisecondsSince1970] + arguments)
        let released = db.changesCount
        for webhookID in webhooks { try Self.refreshDueTime(webhookID: webhookID, now: now, db: db) }
        return released
    }
}
