import Foundation
import HooklineCore
import PostgresNIO

/// The delivery queue, as on SQLite a queue of webhooks (`webhooks.next_due_at`) each with its
/// own queue of deliveries; here a worker locks each webhook it leases from (`FOR NO KEY UPDATE SKIP
/// LOCKED`), so workers in any number of processes share the webhooks that are due without
/// waiting for one another, and a webhook's in-flight limit and single probe hold across them.
///
/// Locks are taken in one order everywhere: a call's or lead's row, then webhooks by id, then
/// their deliveries.
extension PostgresStore {
    static let webhooksPerLease = 256

    public func leaseDueDeliveries(to offer: any LeaseOffer, now: Timestamp) async throws -> [DeliveryJob] {
        let cache = webhookCache
        let locks = WebhookLocks.Taken(in: webhookLocks)
        defer { locks.release() }
        return try await transaction { [logger] connection in
            let webhooks = try await connection.rows(RecordSQL.DueWebhooks.self, binding: now.millisecondsSince1970, Self.webhooksPerLease, logger: logger)
                .map(cache.webhook)
            for webhook in webhooks { locks.add(webhook.id) }
            var jobs: [DeliveryJob] = []
            var exhausted = false
            for webhook in webhooks {
                guard !exhausted else {
                    break
                }
                jobs += try await Self.lease(from: webhook, now: now, offer: offer, connection: connection, logger: logger) { count in
                    let claimed = offer.claim(upTo: count)
                    exhausted = claimed < count
                    return claimed
                }
            }
            return jobs
        }
    }

    /// Leases from one webhook the caller holds locked, by `LeasePolicy`; refreshes its due time.
    /// One read of what the policy needs serves both: its leased count decides how many to take,
    /// and when it shows nothing due, no delivery is read and the due time follows from it as read;
    /// else from it and what the statement that leases reads (the next delivery waiting).
    static func lease(
        from webhook: Webhook, now: Timestamp, offer: any LeaseOffer, connection: PostgresConnection, logger: Logger, take: (_ count: Int) -> Int
    ) async throws -> [DeliveryJob] {
        let ms = now.millisecondsSince1970
        guard let state = try await queueState(webhookID: webhook.id, now: now, connection: connection, logger: logger) else { return [] }
        let allowance = webhook.settings.rateLimit?.allowance(webhook.rateBucket, now: now) ?? .max
        let rows: [PostgresRandomAccessRow]
        switch LeasePolicy.take(
            health: webhook.health, maxInFlight: webhook.settings.maxInFlight, leasedRows: state.inFlight,
            inFlight: offer.requestsInFlight(leasedRows: state.inFlight, webhookID: webhook.id), allowance: allowance, firstWaiting: state.firstWaiting, now: now)
        {
        case .nothing: rows = []
        case .due(let limit): rows = try await connection.rows(RecordSQL.DueDeliveries.self, binding: webhook.id, ms, limit, logger: logger)
        case .probe: rows = try await connection.rows(RecordSQL.ProbeDelivery.self, binding: webhook.id, ms, logger: logger)
        }
        let due = try rows.map { try job($0, webhook: webhook) }
        let leased = due.isEmpty ? [] : Array(due.prefix(take(due.count)))
        var after = state
        if !leased.isEmpty {
            let waiting = try await connection.rows(
                RecordSQL.LeaseDeliveries.self, binding: offer.owner, offer.leaseUntil.millisecondsSince1970, leased.map(\.delivery.id), webhook.id, ms,
                logger: logger
            ).first?.optionalTime("first_waiting")
            after = state.leasing(leased.count, until: offer.leaseUntil, firstWaiting: waiting)
        }
        if let bucket = try await spendRate(of: webhook, leased: leased.count, allowance: allowance, now: now, connection: connection, logger: logger) {
            after.rateWait = bucket.emptyUntil
        }
        try await setDueTime(webhookID: webhook.id, after.dueTime(now: now), connection: connection, logger: logger)
        return leased
    }

    /// Writes the rate limit's bucket after a lease took `leased` of the webhook's deliveries (or
    /// found it empty), on the row the caller holds locked: every worker spends the same tokens.
    /// Answers the bucket written, if it wrote.
    private static func spendRate(
        of webhook: Webhook, leased: Int, allowance: Int, now: Timestamp, connection: PostgresConnection, logger: Logger
    ) async throws -> RateBucket? {
        guard let limit = webhook.settings.rateLimit, leased > 0 || allowance == 0 else { return nil }
        let bucket = limit.spending(leased, from: webhook.rateBucket, now: now)
        try await connection.run(
            """
            UPDATE webhooks SET rate_tokens = \(bucket.tokens), rate_refilled_at = \(bucket.refilledAt?.millisecondsSince1970),
                rate_empty_until = \(bucket.emptyUntil?.millisecondsSince1970)
            WHERE id = \(webhook.id)
            """, logger: logger)
        return bucket
    }

    private static func job(_ row: PostgresRandomAccessRow, webhook: Webhook) throws -> DeliveryJob {
        let payload = try row.column("payload", as: ByteBuffer?.self).map { body in
            RenderedPayload(
                body: Array(body.readableBytesView), contentType: try row.column("content_type"), query: try row.column("payload_query"),
                headers: try row.column("payload_headers", as: String?.self).map(HeaderField.headers(payloadJSON:)) ?? [])
        }
        var values = try object(try row.column("token_values"))
        if let captured = try row.column("captured", as: String?.self) { values = IngestRules.renderValues(values, captured: try object(captured)) }
        return DeliveryJob(
            delivery: try delivery(row), webhook: webhook, values: values, payload: payload, scheduleAttempts: try row.column("schedule_attempts"),
            scheduleStartedAt: try row.time("schedule_started_at"), traceParent: try row.column("trace_parent", as: String?.self))
    }

    public func recordAttempts(_ results: [AttemptResult], leasing offer: (any LeaseOffer)?) async throws -> [DeliveryJob] {
        guard !results.isEmpty else { return [] }
        let cache = webhookCache
        let deliveryIDs = results.map(\.deliveryID)
        let locks = WebhookLocks.Taken(in: webhookLocks)
        defer { locks.release() }
        return try await transaction { [logger] connection in
            // From here their rows' leases tell: released below, or kept (and counted) if this fails.
            offer?.recording(deliveryIDs: deliveryIDs)
            return try await Self.recordAndLease(results, leasing: offer, cache: cache, locks: locks, connection: connection, logger: logger)
        }
    }

    struct Current {
        var pending: Bool
        var leaseOwner: String?
        var keys: DeliveryKeys
    }

    /// Statements per batch, not per attempt: the attempts, their deliveries' changes and the
    /// calls' next deliveries are each written by one statement over a JSON array of rows.
    private static func recordAndLease(
        _ results: [AttemptResult], leasing offer: (any LeaseOffer)?, cache: PostgresWebhookCache, locks: WebhookLocks.Taken, connection: PostgresConnection,
        logger: Logger
    ) async throws -> [DeliveryJob] {
        var (current, webhooks) = try await readAndLock(results, cache: cache, connection: connection, logger: logger)
        for id in webhooks.keys { locks.add(id) }
        var touched: [String: Timestamp] = [:]
        for round in recordingRounds(results, current: current) {
            var recorded: [(result: AttemptResult, row: Current, transition: AttemptTransition)] = []
            for result in round {
                guard let row = current[result.deliveryID], webhooks[row.keys.webhookID] != nil else { continue }
                let transition = AttemptTransition(
                    verdict: result.verdict, attempt: result.attempt, captured: result.captured, wasPending: row.pending, leaseHolder: row.leaseOwner,
                    recorder: result.leaseOwner, now: result.now)
                recorded.append((result, row, transition))
                if transition.changesDelivery {
                    current[result.deliveryID]?.pending = transition.status == .pending
                    current[result.deliveryID]?.leaseOwner = nil
                }
            }
            let written = try await write(recorded, connection: connection, logger: logger)
            for (result, row, _) in written { touched[row.keys.webhookID] = max(touched[row.keys.webhookID] ?? result.now, result.now) }
            for (result, row, transition) in written {
                guard let webhook = webhooks[row.keys.webhookID] else { continue }
                webhooks[row.keys.webhookID] = try await updateHealth(of: webhook, after: result, transition: transition, connection: connection, logger: logger)
            }
        }
        var jobs: [DeliveryJob] = []
        for (webhookID, now) in touched.sorted(by: { $0.key < $1.key }) {
            guard let offer, let webhook = webhooks[webhookID], webhook.settings.enabled else {
                try await refreshDueTime(webhookID: webhookID, now: now, connection: connection, logger: logger)
                continue
            }
            jobs += try await lease(from: webhook, now: now, offer: offer, connection: connection, logger: logger) { offer.claim(upTo: $0) }
        }
        return jobs
    }

    /// The deliveries' states and their webhooks, with the calls, leads and webhooks locked.
    private static func readAndLock(
        _ results: [AttemptResult], cache: PostgresWebhookCache, connection: PostgresConnection, logger: Logger
    ) async throws -> ([String: Current], [String: Webhook]) {
        // What to lock: as the worker's jobs said, or read (a caller with only the deliveries' ids).
        var keys = results.compactMap(\.keys)
        if keys.count < results.count {
            keys = try await connection.rows(RecordSQL.DeliveryStates.self, binding: results.map(\.deliveryID), logger: logger).map(Self.keys)
        }
        // Lock order: the calls and leads (an ingest holds its subject while it decides whether its
        // delivery waits), then the webhooks by id. Rows are locked in the order a statement returns them.
        try await SubjectLocks.lock(keys.map { SubjectRow(kind: $0.subjectKind, accountID: $0.accountID, id: $0.subjectID) }, connection: connection, logger: logger)
        var webhooks: [String: Webhook] = [:]
        for row in try await connection.rows(RecordSQL.LockWebhooks.self, binding: Array(Set(keys.map(\.webhookID))), logger: logger) {
            let webhook = try cache.webhook(row)
            webhooks[webhook.id] = webhook
        }
        // Their states under the locks every writer of a delivery takes first: another worker's
        // record of the same delivery (its lease ran out) may have landed meanwhile, and a
        // transition judged from an older state would release the call's next delivery twice.
        // Deliveries deleted with their webhook while in flight are not there: nothing to record.
        var current: [String: Current] = [:]
        for row in try await connection.rows(RecordSQL.DeliveryStates.self, binding: results.map(\.deliveryID), logger: logger) {
            current[try row.column("id")] = Current(
                pending: try row.column("status", as: String.self) == DeliveryStatus.pending.rawValue, leaseOwner: try row.column("lease_owner"),
                keys: try Self.keys(row))
        }
        return (current, webhooks)
    }

    private static func keys(_ row: PostgresRandomAccessRow) throws -> DeliveryKeys {
        DeliveryKeys(
            accountID: try row.column("account_id"), webhookID: try row.column("webhook_id"),
            subjectKind: SubjectKind(rawValue: try row.column("subject_kind")) ?? .call, subjectID: try row.column("subject_id"))
    }

    /// The results in rounds written one after another, each with a delivery, and a call's next
    /// delivery to a webhook, at most once: a round's rows are written by one statement each.
    private static func recordingRounds(_ results: [AttemptResult], current: [String: Current]) -> [[AttemptResult]] {
        var rounds: [[AttemptResult]] = []
        var round: [AttemptResult] = []
        var keys: Set<[String]> = []
        for result in results {
            let row = current[result.deliveryID]
            let subject = row.map { [$0.keys.webhookID, $0.keys.subjectKind.rawValue, $0.keys.subjectID] } ?? []
            if keys.contains([result.deliveryID]) || keys.contains(subject) {
                rounds.append(round)
                (round, keys) = ([], [])
            }
            round.append(result)
            keys.insert([result.deliveryID])
            if !subject.isEmpty { keys.insert(subject) }
        }
        if !round.isEmpty { rounds.append(round) }
        return rounds
    }

    /// Writes what the attempt does to its webhook, by `WebhookAfterAttempt`; answers the webhook as written.
    private static func updateHealth(
        of webhook: Webhook, after result: AttemptResult, transition: AttemptTransition, connection: PostgresConnection, logger: Logger
    ) async throws -> Webhook {
        var webhook = webhook
        let plan = WebhookAfterAttempt(
            transition, attempt: result.attempt, state: webhook.health.state, consecutiveFailures: webhook.health.consecutiveFailures,
            pauseUntil: result.pausesWebhookUntil)
        let now = result.now.millisecondsSince1970
        if let reason = plan.disabledReason {
            webhook = webhook.disabled(reason: reason)
            try await connection.run(
                """
                UPDATE webhooks SET enabled = false, settings = \(try encode(webhook.settings)), disabled_reason = \(webhook.disabledReason), updated_at = \(now),
                    revision = revision + 1 WHERE id = \(webhook.id)
                """, logger: logger)
        }
        guard plan.judgesHealth else { return webhook }
        let earliestScheduled = try await connection.rows(
            """
            SELECT next_attempt_at FROM deliveries WHERE webhook_id = \(webhook.id) AND status = 'pending' AND next_attempt_at > \(now)
                AND lease_owner IS NULL ORDER BY next_attempt_at LIMIT 1
            """, logger: logger
        ).first.map { try $0.time("next_attempt_at") }
        guard let change = plan.health(of: webhook, after: result.attempt, now: result.now, earliestScheduled: earliestScheduled) else { return webhook }
        let health = change.health
        webhook.health = health
        try await connection.run(
            """
            UPDATE webhooks SET health_state = \(health.state.rawValue), consecutive_failures = \(health.consecutiveFailures),
                failing_since = \(health.failingSince?.millisecondsSince1970), last_error = \(health.lastError),
                next_probe_at = \(health.nextProbeAt?.millisecondsSince1970), paused_until = \(health.pausedUntil?.millisecondsSince1970)
            WHERE id = \(webhook.id)
            """, logger: logger)
        if change.flushesWaiting {
            try await connection.run(
                """
                UPDATE deliveries SET next_attempt_at = \(now)
                WHERE webhook_id = \(webhook.id) AND status = 'pending' AND next_attempt_at > \(now) AND lease_owner IS NULL
                """, logger: logger)
        }
        return webhook
    }

    /// Moves a webhook's due time earlier, never later.
    static func advanceDueTime(webhookID: String, to due: Int64, connection: PostgresConnection, logger: Logger) async throws {
        try await connection.run(HotSQL.AdvanceDueTime.self, binding: due, webhookID, logger: logger)
    }

    /// Recomputes when a webhook next has something to lease, by `LeasePolicy.dueTime`.
    static func refreshDueTime(webhookID: String, now: Timestamp, connection: PostgresConnection, logger: Logger) async throws {
        guard let state = try await queueState(webhookID: webhookID, now: now, connection: connection, logger: logger) else { return }
        try await setDueTime(webhookID: webhookID, state.dueTime(now: now), connection: connection, logger: logger)
    }

    /// What `LeasePolicy` needs of a webhook at `now`; nil when the webhook is gone.
    static func queueState(webhookID: String, now: Timestamp, connection: PostgresConnection, logger: Logger) async throws -> WebhookQueueState? {
        guard let row = try await connection.rows(RecordSQL.DueTimeInputs.self, binding: webhookID, now.millisecondsSince1970, logger: logger).first
        else { return nil }
        return WebhookQueueState(
            health: EndpointHealth(
                state: EndpointHealth.State(rawValue: try row.column("health_state")) ?? .healthy, nextProbeAt: try row.optionalTime("next_probe_at"),
                pausedUntil: try row.optionalTime("paused_until")),
            maxInFlight: try row.column("max_in_flight"), inFlight: try row.column("count"), firstWaiting: try row.optionalTime("first_waiting"),
            firstExpiry: try row.optionalTime("first_expiry"), rateWait: try row.optionalTime("rate_empty_until"))
    }

    private static func setDueTime(webhookID: String, _ due: Timestamp?, connection: PostgresConnection, logger: Logger) async throws {
        try await connection.run(RecordSQL.SetDueTime.self, binding: due?.millisecondsSince1970, webhookID, logger: logger)
    }

    public func nextDueTime() async throws -> Timestamp? {
        try await withConnection { [logger] connection in try await connection.rows(RecordSQL.NextDueTime.self, logger: logger) }.first?.optionalTime("due")
    }

    public func releaseLeases(owner: String, now: Timestamp) async throws {
        try await transaction { [logger] connection in
            _ = try await Self.releaseLeases(of: .owner(owner), now: now, connection: connection, logger: logger)
            try await connection.run("DELETE FROM workers WHERE owner = \(owner)", logger: logger)
        }
    }

    public func releaseUnknownLeases(owner: String, keeping kept: Set<String>, leasedUntilBefore: Timestamp, now: Timestamp) async throws -> Int {
        try await transaction { [logger] connection in
            try await Self.releaseLeases(
                of: .ownerUnknown(owner, kept: kept.sorted(), leasedUntilBefore: leasedUntilBefore.millisecondsSince1970), now: now, connection: connection,
                logger: logger)
        }
    }

    enum LeaseHolders {
        case owner(String)
        case ownerUnknown(String, kept: [String], leasedUntilBefore: Int64)
        case allBut(String)
        case silentBefore(Int64)

        var condition: PostgresQuery {
            switch self {
            case .owner(let owner): "lease_owner = \(owner)"
            case .ownerUnknown(let owner, let kept, let before): "lease_owner = \(owner) AND next_attempt_at < \(before) AND NOT (id = ANY(\(kept)))"
            case .allBut(let owner): "lease_owner <> \(owner)"
            case .silentBefore(let time): "lease_owner NOT IN (SELECT owner FROM workers WHERE heartbeat_at >= \(time))"
            }
        }
    }

    /// Makes the leased pending deliveries of `holders` due at once. Their webhooks are locked
    /// first, by id, as every writer of deliveries does.
    static func releaseLeases(of holders: LeaseHolders, now: Timestamp, connection: PostgresConnection, logger: Logger) async throws -> Int {
        var select = holders.condition
        select.sql = "SELECT DISTINCT webhook_id FROM deliveries WHERE lease_owner IS NOT NULL AND status = 'pending' AND " + select.sql
        let webhookIDs = try await connection.rows(select, logger: logger).map { try $0.column("webhook_id", as: String.self) }.sorted()
        guard !webhookIDs.isEmpty else { return 0 }
        try await connection.run("SELECT id FROM webhooks WHERE id = ANY(\(webhookIDs)) ORDER BY id FOR NO KEY UPDATE", logger: logger)
        var update = holders.condition
        let placeholder = update.binds.count + 1
        update.sql =
            "UPDATE deliveries SET lease_owner = NULL, next_attempt_at = $\(placeholder) WHERE lease_owner IS NOT NULL AND status = 'pending' AND "
            + update.sql + " RETURNING id"
        update.binds.append(now.millisecondsSince1970)
        let released = try await connection.rows(update, logger: logger).count
        for webhookID in webhookIDs { try await refreshDueTime(webhookID: webhookID, now: now, connection: connection, logger: logger) }
        return released
    }
}
