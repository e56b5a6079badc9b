import HooklineCore
import PostgresNIO

/// Ingest's writes on PostgreSQL: the call or lead, then one delivery per matching webhook as
/// `IngestDelivery` plans it.
extension PostgresStore {
    struct WrittenDeliveries {
        var deliveryIDs: [String] = []
        var leased: [DeliveryJob] = []
        /// Webhooks another transaction held: their due times move after the commit.
        var lateDueTimes: [(String, Int64)] = []
    }

    /// The webhooks one transaction's ingests locked, as read under the lock, with their leased
    /// rows: while it holds a row nothing else leases from that webhook, so a batch's later
    /// ingests neither lock it again nor count its leases again.
    struct LockedWebhooks {
        var byID: [String: (webhook: Webhook, leasedRows: Int)] = [:]
    }

    /// One delivery per matching webhook of `webhookRows` (the account's enabled ones), as
    /// `IngestDelivery` plans it; those leased at once come back as jobs for the ingesting
    /// process's worker.
    static func writeDeliveries(
        _ request: IngestRequest, subject: IngestedSubject, eventID: String, webhookRows: [PostgresRandomAccessRow], cache: PostgresWebhookCache,
        locks: WebhookLocks.Taken, lockedWebhooks: inout LockedWebhooks, connection: PostgresConnection, logger: Logger
    ) async throws -> WrittenDeliveries {
        let (kind, subjectID, now) = (request.command.kind, request.command.subjectID, request.now.millisecondsSince1970)
        var dueAtByWebhook: [String: Timestamp?] = [:]
        var webhooks: [Webhook] = []
        for row in webhookRows {
            let webhook = try cache.webhook(row)
            dueAtByWebhook[webhook.id] = try row.column("next_due_at", as: Int64?.self).map(Timestamp.init(millisecondsSince1970:))
            webhooks.append(webhook)
        }
        var written = WrittenDeliveries()
        var valuesToRender: JSONObject?
        for webhook in IngestRules.matching(webhooks, kind: kind, values: subject.values, routing: subject.routing) {
            var waits = false
            if IngestDelivery.checksOrder(of: kind) {
                waits = try await !connection.rows(
                    """
                    SELECT 1 AS one FROM deliveries WHERE webhook_id = \(webhook.id) AND subject_kind = \(kind.subject.rawValue) AND subject_id = \(subjectID)
                        AND status = 'pending' LIMIT 1
                    """, logger: logger
                ).isEmpty
            }
            let held = DeliveryHold.start(webhook.settings.hold, kind: kind, values: subject.values, now: request.now)
            let plan = IngestDelivery(retry: webhook.settings.retry, waitsBehindEarlier: waits || held != nil, now: request.now)
            let (locked, offer) = try await leaseAtOnce(
                plan, webhook: webhook, offer: request.leaseOffer, now: now, cache: cache, locks: locks, lockedWebhooks: &lockedWebhooks, connection: connection, logger: logger)
            let nextAttempt = plan.nextAttemptAt(leasedUntil: offer?.leaseUntil)
            let deliveryID = Identifier.make("dlv", at: request.now)
            let movesDueTime = nextAttempt.map { IngestDelivery.movesDueTime(from: dueAtByWebhook[webhook.id] ?? nil, to: $0) } ?? false
            // Its webhook's due time moves in the same statement when its row is locked.
            let statement: any PreparedSQL.Type = movesDueTime && locked ? HotSQL.InsertDeliveryAdvancingDueTime.self : HotSQL.InsertDelivery.self
            try await connection.run(
                statement, binding: deliveryID, request.accountID, webhook.id, eventID, kind.rawValue, kind.subject.rawValue, subjectID,
                now, nextAttempt?.millisecondsSince1970, offer?.owner, held?.millisecondsSince1970, try held.map { _ in try encode(webhook.settings.hold?.until ?? []) },
                logger: logger)
            if movesDueTime, !locked, let nextAttempt { written.lateDueTimes.append((webhook.id, nextAttempt.millisecondsSince1970)) }
            written.deliveryIDs.append(deliveryID)
            guard offer != nil else { continue }
            if valuesToRender == nil {
                valuesToRender = kind.createsSubject ? subject.values : IngestRules.renderValues(
                    subject.values, captured: try await captured(accountID: request.accountID, subjectKind: kind.subject.rawValue, subjectID: subjectID, connection: connection, logger: logger))
            }
            written.leased.append(.leasedAtIngest(
                deliveryID: deliveryID, eventID: eventID, request: request, webhook: webhook, nextAttemptAt: nextAttempt, values: valuesToRender ?? subject.values))
        }
        return written
    }

    /// Whether the webhook's row was locked (`SKIP LOCKED`: one another transaction holds gets its
    /// delivery leased by a worker instead, and one this process's ingests hold is not tried), and
    /// the worker's offer when the plan lets the delivery go at once, by the locked row's health
    /// and limit, and a slot is claimed.
    private static func leaseAtOnce(
        _ plan: IngestDelivery, webhook: Webhook, offer: (any LeaseOffer)?, now: Int64, cache: PostgresWebhookCache, locks: WebhookLocks.Taken,
        lockedWebhooks: inout LockedWebhooks, connection: PostgresConnection, logger: Logger
    ) async throws -> (locked: Bool, offer: (any LeaseOffer)?) {
        guard let offer, plan.mayLeaseAtOnce(webhook) else { return (false, nil) }
        let locked: (webhook: Webhook, leasedRows: Int)
        if let known = lockedWebhooks.byID[webhook.id] {
            locked = known
        } else {
            guard !locks.isHeldByAnother(webhook.id), let row = try await connection.rows(HotSQL.LockWebhookIfFree.self, binding: webhook.id, logger: logger).first
            else { return (false, nil) }
            locks.add(webhook.id)
            locked = (try cache.webhook(row), try await leasedRows(webhookID: webhook.id, now: now, connection: connection, logger: logger))
            lockedWebhooks.byID[webhook.id] = locked
        }
        let inFlight = offer.requestsInFlight(leasedRows: locked.leasedRows, webhookID: webhook.id)
        guard plan.leasesAtOnce(locked.webhook, inFlight: inFlight), offer.claim() else { return (true, nil) }
        lockedWebhooks.byID[webhook.id]?.leasedRows += 1
        return (true, offer)
    }
}
