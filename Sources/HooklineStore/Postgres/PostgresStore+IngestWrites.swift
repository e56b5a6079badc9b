import HooklineCore
import PostgresNIO

/// Ingest's writes on PostgreSQL: the call or lead, then one delivery per matching webhook as
/// `IngestDelivery` plans it.
extension PostgresStore {
    /// The call or lead of the event: a new one with its routing and enrichment (Core's
    /// `IngestRules`), or the one the event continues, locked.
    static func writeSubject(_ request: IngestRequest, connection: PostgresConnection, logger: Logger) async throws -> SubjectWrite {
        let (account, now) = (request.accountID, request.now.millisecondsSince1970)
        switch request.command {
        case .beginCall(let callID, let given):
            let campaign: Campaign? =
                switch IngestRules.campaignLookup(request.routing, values: given) {
                case .id(let id): try await Self.campaign(id: id, accountID: account, connection: connection, logger: logger)
                case .trackingNumber(let number): try await Self.campaign(trackingNumber: number, accountID: account, connection: connection, logger: logger)
                case .none: nil
                }
            let routing = IngestRules.routing(request.routing, campaign: campaign)
            let location = try await routing.locationID.asyncFlatMap { try await Self.location(id: $0, accountID: account, connection: connection, logger: logger) }
            var calledBefore = false
            if let caller = IngestRules.repeatCallerLookup(given) {
                calledBefore = try await !connection.rows("SELECT 1 AS one FROM calls WHERE account_id = \(account) AND caller = \(caller) LIMIT 1", logger: logger).isEmpty
            }
            let values = IngestRules.beginValues(given, campaign: campaign, location: location, received: request.now, calledBefore: calledBefore)
            let text = values.jsonText
            let inserted = try await connection.rows(
                """
                INSERT INTO calls (account_id, id, begin_values, started_at, caller, campaign_id, location_id, source_id)
                VALUES (\(account), \(callID), \(text), \(now), \(IngestRules.caller(of: given)), \(routing.campaignID), \(routing.locationID), \(routing.sourceID))
                ON CONFLICT (account_id, id) DO NOTHING RETURNING id
                """, logger: logger)
            guard !inserted.isEmpty else { throw StoreError.conflict("call \(callID) already exists") }
            return .written(IngestedSubject(values: values, routing: routing, storedText: text, endsCall: false))
        case .endCall(let callID, let given):
            // Locked: a call ends once, whichever process reports its end first.
            guard
                let call = try await connection.rows(
                    "SELECT begin_values, end_receipt, campaign_id, location_id, source_id FROM calls WHERE account_id = \(account) AND id = \(callID) FOR UPDATE",
                    logger: logger
                ).first
            else { throw StoreError.notFound("call \(callID) not found") }
            if let receipt = try call.column("end_receipt", as: String?.self) { return .reportedBefore(try decode(IngestReceipt.self, receipt)) }
            let ended = EventKind.callEnd.stamped(given, received: request.now)
            try await connection.run(
                "UPDATE calls SET end_values = \(ended.jsonText), ended_at = \(now) WHERE account_id = \(account) AND id = \(callID)", logger: logger)
            return .written(IngestedSubject(
                values: IngestRules.endValues(begin: try object(try call.column("begin_values")), ended: ended), routing: try routing(of: call),
                storedText: nil, endsCall: true))
        case .createLead(let leadID, let given):
            let campaign = try await request.routing.campaignID.asyncFlatMap { try await Self.campaign(id: $0, accountID: account, connection: connection, logger: logger) }
            let routing = IngestRules.routing(request.routing, campaign: campaign)
            let location = try await routing.locationID.asyncFlatMap { try await Self.location(id: $0, accountID: account, connection: connection, logger: logger) }
            let values = IngestRules.leadValues(given, campaign: campaign, location: location, received: request.now)
            let text = values.jsonText
            let inserted = try await connection.rows(
                """
                INSERT INTO leads (account_id, id, token_values, created_at, campaign_id, location_id, source_id)
                VALUES (\(account), \(leadID), \(text), \(now), \(routing.campaignID), \(routing.locationID), \(routing.sourceID))
                ON CONFLICT (account_id, id) DO NOTHING RETURNING id
                """, logger: logger)
            guard !inserted.isEmpty else { throw StoreError.conflict("lead \(leadID) already exists") }
            return .written(IngestedSubject(values: values, routing: routing, storedText: text, endsCall: false))
        case .addMessage(let leadID, _, let given):
            // The update locks the lead: its messages are stored one after another.
            guard
                let lead = try await connection.rows(
                    """
                    UPDATE leads SET message_count = message_count + 1, updated_at = \(now) WHERE account_id = \(account) AND id = \(leadID)
                    RETURNING token_values, campaign_id, location_id, source_id
                    """, logger: logger
                ).first
            else { throw StoreError.notFound("lead \(leadID) not found") }
            let values = IngestRules.messageValues(lead: try object(try lead.column("token_values")), message: EventKind.leadMessage.stamped(given, received: request.now))
            return .written(IngestedSubject(values: values, routing: try routing(of: lead), storedText: nil, endsCall: false))
        }
    }

    private static func routing(of row: PostgresRandomAccessRow) throws -> RoutingContext {
        RoutingContext(campaignID: try row.column("campaign_id"), locationID: try row.column("location_id"), sourceID: try row.column("source_id"))
    }

    struct WrittenDeliveries {
        var deliveryIDs: [String] = []
        var leased: [DeliveryJob] = []
        /// Webhooks another transaction held: their due times move after the commit.
        var lateDueTimes: [(String, Int64)] = []
    }

    /// One delivery per matching webhook, as `IngestDelivery` plans it; those leased at once come
    /// back as jobs for the ingesting process's worker.
    static func writeDeliveries(
        _ request: IngestRequest, subject: IngestedSubject, eventID: String, cache: PostgresWebhookCache, connection: PostgresConnection, logger: Logger
    ) async throws -> WrittenDeliveries {
        let (kind, subjectID, now) = (request.command.kind, request.command.subjectID, request.now.millisecondsSince1970)
        var dueAtByWebhook: [String: Timestamp?] = [:]
        var webhooks: [Webhook] = []
        for row in try await connection.rows("SELECT * FROM webhooks WHERE account_id = \(request.accountID) AND enabled ORDER BY id", logger: logger) {
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
            let plan = IngestDelivery(retry: webhook.settings.retry, waitsBehindEarlier: waits, now: request.now)
            let (locked, offer) = try await leaseAtOnce(plan, webhook: webhook, offer: request.leaseOffer, now: now, cache: cache, connection: connection, logger: logger)
            let nextAttempt = plan.nextAttemptAt(leasedUntil: offer?.leaseUntil)
            let deliveryID = Identifier.make("dlv", at: request.now)
            try await connection.run(
                """
                INSERT INTO deliveries (id, account_id, webhook_id, event_id, event_kind, subject_kind, subject_id, status,
                    schedule_started_at, next_attempt_at, lease_owner, created_at, updated_at)
                VALUES (\(deliveryID), \(request.accountID), \(webhook.id), \(eventID), \(kind.rawValue), \(kind.subject.rawValue), \(subjectID), 'pending',
                    \(now), \(nextAttempt?.millisecondsSince1970), \(offer?.owner), \(now), \(now))
                """, logger: logger)
            if let nextAttempt, IngestDelivery.movesDueTime(from: dueAtByWebhook[webhook.id] ?? nil, to: nextAttempt) {
                if locked {
                    try await advanceDueTime(webhookID: webhook.id, to: nextAttempt.millisecondsSince1970, connection: connection, logger: logger)
                } else {
                    written.lateDueTimes.append((webhook.id, nextAttempt.millisecondsSince1970))
                }
            }
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
    /// delivery leased by a worker instead), and the worker's offer when the plan lets the delivery
    /// go at once, by the locked row's health and limit, and a slot is claimed.
    private static func leaseAtOnce(
        _ plan: IngestDelivery, webhook: Webhook, offer: (any LeaseOffer)?, now: Int64, cache: PostgresWebhookCache, connection: PostgresConnection, logger: Logger
    ) async throws -> (locked: Bool, offer: (any LeaseOffer)?) {
        guard let offer, plan.mayLeaseAtOnce(health: webhook.health) else { return (false, nil) }
        guard let row = try await connection.rows("SELECT * FROM webhooks WHERE id = \(webhook.id) AND enabled FOR NO KEY UPDATE SKIP LOCKED", logger: logger).first
        else { return (false, nil) }
        let current = try cache.webhook(row)
        let inFlight = offer.requestsInFlight(leasedRows: try await leasedRows(webhookID: webhook.id, now: now, connection: connection, logger: logger), webhookID: webhook.id)
        guard plan.leasesAtOnce(health: current.health, maxInFlight: current.settings.maxInFlight, inFlight: inFlight), offer.claim() else { return (true, nil) }
        return (true, offer)
    }
}
