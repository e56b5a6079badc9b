import HooklineCore
import PostgresNIO

/// Ingest's writes on PostgreSQL: the call or lead, then one delivery per matching webhook as
/// `IngestDelivery` plans it.
extension PostgresStore {
    /// A delivery an ingest planned, as `HotSQL.InsertDeliveries` inserts it.
    struct NewDelivery {
        let id: String
        let subject: SubjectRow
        let webhookID: String
        let eventID: String
        let eventKind: EventKind
        let createdAt: Int64
        let nextAttemptAt: Int64?
        let leaseOwner: String?
        let heldUntil: Int64?
        /// The hold's conditions, as JSON.
        let heldFor: String?
    }

    struct WrittenDeliveries {
        var deliveryIDs: [String] = []
        var leased: [DeliveryJob] = []
        /// Webhooks another transaction held: their due times move after the commit.
        var lateDueTimes = EarliestDueTimes()
    }

    /// What one transaction's ingests have planned and not yet written, and the webhooks they
    /// locked. A batch's deliveries go in with one statement (`HotSQL.InsertDeliveries`) before
    /// the next ingest that reads deliveries (one that continues a call or lead: its order, its
    /// holds) and before the commit: a burst of beginnings writes its deliveries once.
    struct IngestWrites {
        /// A webhook's row this transaction locked, as read under the lock, and its deliveries
        /// leased: while the transaction holds the row nothing else leases from that webhook, so
        /// its later ingests neither lock it again nor count its leases again.
        struct LockedWebhook {
            let webhook: Webhook
            var leasedRows: Int
        }

        var lockedWebhooks: [String: LockedWebhook] = [:]
        /// Its idempotency keys' receipts, written at the commit (`IdempotencyReceipts`).
        var receipts = IdempotencyReceipts()
        private var deliveries: [NewDelivery] = []
        /// Of webhooks this transaction holds: due times that move with the deliveries' insert.
        private var dueTimes = EarliestDueTimes()
        /// The calls and leads those deliveries are about.
        private var subjects: Set<SubjectRow> = []

        /// Plans `delivery`; `movesDueTime` when its webhook's due time moves to its next attempt
        /// with the insert.
        mutating func add(_ delivery: NewDelivery, movesDueTime: Bool) {
            deliveries.append(delivery)
            subjects.insert(delivery.subject)
            if movesDueTime, let due = delivery.nextAttemptAt { dueTimes.add(webhookID: delivery.webhookID, due: due) }
        }

        /// Whether deliveries of `subject` wait to be written: an ingest that reads its subject's
        /// deliveries (their order, their holds) writes them first. Nothing it reads depends on
        /// other subjects' deliveries.
        func holdsDeliveries(of subject: SubjectRow) -> Bool {
            subjects.contains(subject)
        }

        /// Inserts what was planned since the last write.
        mutating func write(connection: PostgresConnection, logger: Logger) async throws {
            guard !deliveries.isEmpty else { return }
            let due = Array(dueTimes.byWebhook)
            let columns = HotSQL.InsertDeliveries.Columns(
                ids: deliveries.map(\.id), accountIDs: deliveries.map(\.subject.accountID), webhookIDs: deliveries.map(\.webhookID),
                eventIDs: deliveries.map(\.eventID), eventKinds: deliveries.map(\.eventKind.rawValue), subjectKinds: deliveries.map(\.subject.kind.rawValue),
                subjectIDs: deliveries.map(\.subject.id), createdAt: deliveries.map(\.createdAt), nextAttemptAt: deliveries.map(\.nextAttemptAt),
                leaseOwners: deliveries.map(\.leaseOwner), heldUntil: deliveries.map(\.heldUntil), heldFor: deliveries.map(\.heldFor),
                dueWebhookIDs: due.map(\.key), dueTimes: due.map(\.value))
            try await connection.run(HotSQL.InsertDeliveries.self, binding: columns, logger: logger)
            deliveries = []
            dueTimes = EarliestDueTimes()
            subjects = []
        }
    }

    /// One delivery per matching webhook of `webhookRows` (the account's enabled ones), as
    /// `IngestDelivery` plans it; those leased at once come back as jobs for the ingesting
    /// process's worker.
    static func writeDeliveries(
        _ request: IngestRequest, subject: IngestedSubject, eventID: String, webhookRows: [PostgresRandomAccessRow], cache: PostgresWebhookCache,
        locks: WebhookLocks.Taken, writes: inout IngestWrites, connection: PostgresConnection, logger: Logger
    ) async throws -> WrittenDeliveries {
        let (kind, subjectID, now) = (request.command.kind, request.command.subjectID, request.now.millisecondsSince1970)
        var dueAtByWebhook: [String: Timestamp?] = [:]
        var subjectPending: Set<String> = []
        var webhooks: [Webhook] = []
        for row in webhookRows {
            let webhook = try cache.webhook(row)
            dueAtByWebhook[webhook.id] = try row.column("next_due_at", as: Int64?.self).map(Timestamp.init(millisecondsSince1970:))
            if IngestDelivery.checksOrder(of: kind), try row.column("subject_pending", as: Bool.self) { subjectPending.insert(webhook.id) }
            webhooks.append(webhook)
        }
        var written = WrittenDeliveries()
        var valuesToRender: JSONObject?
        let planned = IngestRules.matching(webhooks, kind: kind, values: subject.values, routing: subject.routing).map { webhook in
            let held = DeliveryHold.start(webhook.settings.hold, kind: kind, values: subject.values, now: request.now)
            let plan = IngestDelivery(retry: webhook.settings.retry, waitsBehindEarlier: subjectPending.contains(webhook.id) || held != nil, now: request.now)
            return (webhook: webhook, plan: plan, held: held)
        }
        if request.leaseOffer != nil {
            try await lockToLeaseAtOnce(
                planned.filter { $0.plan.mayLeaseAtOnce($0.webhook) }.map(\.webhook.id), now: now, cache: cache, locks: locks, writes: &writes,
                connection: connection, logger: logger)
        }
        for (webhook, plan, held) in planned {
            let locked = writes.lockedWebhooks[webhook.id] != nil
            let offer = leaseAtOnce(plan, webhook: webhook, offer: request.leaseOffer, writes: &writes)
            let nextAttempt = plan.nextAttemptAt(leasedUntil: offer?.leaseUntil)
            let deliveryID = Identifier.make("dlv", at: request.now)
            let movesDueTime = nextAttempt.map { IngestDelivery.movesDueTime(from: dueAtByWebhook[webhook.id] ?? nil, to: $0) } ?? false
            let delivery = NewDelivery(
                id: deliveryID, subject: SubjectRow(kind: kind.subject, accountID: request.accountID, id: subjectID), webhookID: webhook.id,
                eventID: eventID, eventKind: kind, createdAt: now, nextAttemptAt: nextAttempt?.millisecondsSince1970, leaseOwner: offer?.owner,
                heldUntil: held?.millisecondsSince1970, heldFor: try held.map { _ in try encode(webhook.settings.hold?.until ?? []) })
            // Its webhook's due time moves with the insert when its row is locked, after the commit when not.
            writes.add(delivery, movesDueTime: movesDueTime && locked)
            if movesDueTime, !locked, let nextAttempt { written.lateDueTimes.add(webhookID: webhook.id, due: nextAttempt.millisecondsSince1970) }
            written.deliveryIDs.append(deliveryID)
            guard offer != nil else { continue }
            if valuesToRender == nil {
                // Read with the event's insert, beside each webhook (`HotSQL.InsertEventReadingWebhooks`).
                let captured = kind.createsSubject ? nil : try webhookRows.first?.column("subject_captured", as: String?.self)
                valuesToRender = try captured.map { IngestRules.renderValues(subject.values, captured: try object($0)) } ?? subject.values
            }
            written.leased.append(.leasedAtIngest(
                deliveryID: deliveryID, eventID: eventID, request: request, webhook: webhook, nextAttemptAt: nextAttempt, values: valuesToRender ?? subject.values))
        }
        return written
    }

    /// Locks the rows of the webhooks an ingest may lease from at once, with one statement, and
    /// counts their leases with another: those this transaction holds already are not locked
    /// again, nor counted again, and those another of this process's transactions holds are not
    /// tried (the round trip is spared). One that another transaction holds (`SKIP LOCKED`) is not
    /// locked: its delivery is leased by a worker instead, as one whose lock came a moment late.
    private static func lockToLeaseAtOnce(
        _ webhookIDs: [String], now: Int64, cache: PostgresWebhookCache, locks: WebhookLocks.Taken, writes: inout IngestWrites,
        connection: PostgresConnection, logger: Logger
    ) async throws {
        let tried = Set(webhookIDs.filter { writes.lockedWebhooks[$0] == nil && !locks.isHeldByAnother($0) })
        guard !tried.isEmpty else { return }
        let rows = try await connection.rows(HotSQL.LockWebhooksIfFree.self, binding: Array(tried), logger: logger)
        guard !rows.isEmpty else { return }
        var lockedNow: [Webhook] = []
        for row in rows {
            let webhook = try cache.webhook(row)
            locks.add(webhook.id)
            lockedNow.append(webhook)
        }
        var leased: [String: Int] = [:]
        for row in try await connection.rows(HotSQL.LeasedRows.self, binding: lockedNow.map(\.id), now, logger: logger) {
            leased[try row.column("webhook_id")] = try row.column("count")
        }
        for webhook in lockedNow { writes.lockedWebhooks[webhook.id] = IngestWrites.LockedWebhook(webhook: webhook, leasedRows: leased[webhook.id] ?? 0) }
    }

    /// The worker's offer when the plan lets the delivery go at once: by the health and limit of
    /// the webhook's row as this transaction locked it, with a slot claimed.
    private static func leaseAtOnce(_ plan: IngestDelivery, webhook: Webhook, offer: (any LeaseOffer)?, writes: inout IngestWrites) -> (any LeaseOffer)? {
        guard let offer, plan.mayLeaseAtOnce(webhook), let locked = writes.lockedWebhooks[webhook.id] else { return nil }
        let inFlight = offer.requestsInFlight(leasedRows: locked.leasedRows, webhookID: webhook.id)
        guard plan.leasesAtOnce(locked.webhook, inFlight: inFlight), offer.claim() else { return nil }
        writes.lockedWebhooks[webhook.id]?.leasedRows += 1
        return offer
    }
}
