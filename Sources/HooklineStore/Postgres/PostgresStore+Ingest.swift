import Foundation
import HooklineCore
import PostgresNIO

extension PostgresStore {
    /// One transaction holding, while it decides, the rows that make its decisions safe from other
    /// processes: the idempotency key (an advisory lock), the call or lead (its row: an end or a
    /// message waits for an earlier one, and a record that releases the call's next delivery waits
    /// for this one), and each webhook it leases from at once (`SKIP LOCKED`: a webhook another
    /// transaction holds gets its delivery leased by a worker instead of waiting for it).
    public func ingest(_ request: IngestRequest) async throws -> IngestResult {
        let cache = webhookCache
        let (result, lateDueTimes) = try await transaction { [logger] connection in
            try await Self.ingest(request, cache: cache, connection: connection, logger: logger)
        }
        // Webhooks held by another transaction when this one wrote: their due time moves earlier
        // now, outside the transaction, waiting for their lock without holding any. A crash just
        // before leaves them to `releaseLeasesOfSilentWorkers`' sweep.
        for (webhookID, due) in lateDueTimes {
            await dueTimeAdvancer.advance(webhookID: webhookID, to: due) { due in
                do {
                    try await withConnection { [logger] connection in
                        try await Self.advanceDueTime(webhookID: webhookID, to: due, connection: connection, logger: logger)
                    }
                } catch {
                    logger.warning("a webhook's due time was left to the sweep", metadata: ["webhook": "\(webhookID)", "error": "\(String(reflecting: error))"])
                }
            }
        }
        return result
    }

    private static func ingest(
        _ request: IngestRequest, cache: PostgresWebhookCache, connection: PostgresConnection, logger: Logger
    ) async throws -> (IngestResult, [(String, Int64)]) {
        let account = request.accountID
        let now = request.now.millisecondsSince1970
        if let idempotency = request.idempotencyKey {
            // A second process with the same key waits here, then finds the first one's receipt.
            try await connection.run("SELECT pg_advisory_xact_lock(hashtextextended(\(account + "\u{1F}" + idempotency.key), 0))", logger: logger)
            if let row = try await connection.rows(
                "SELECT fingerprint, receipt FROM idempotency_keys WHERE account_id = \(account) AND key = \(idempotency.key)", logger: logger
            ).first {
                guard try row.column("fingerprint", as: String.self) == idempotency.fingerprint else {
                    throw StoreError.idempotencyKeyReused("Idempotency-Key '\(idempotency.key)' was already used with another request")
                }
                return (IngestResult(receipt: try decode(IngestReceipt.self, try row.column("receipt"))), [])
            }
        }

        var values: JSONObject
        var routing = request.routing
        var callEnd = false
        var storedText: String?
        switch request.command {
        case .beginCall(let callID, let given):
            let campaign: Campaign? =
                switch EventIntake.campaignLookup(routing, values: given) {
                case .id(let id): try await Self.campaign(id: id, accountID: account, connection: connection, logger: logger)
                case .trackingNumber(let number): try await Self.campaign(trackingNumber: number, accountID: account, connection: connection, logger: logger)
                case .none: nil
                }
            routing = EventIntake.routing(routing, campaign: campaign)
            let location = try await routing.locationID.asyncFlatMap { try await Self.location(id: $0, accountID: account, connection: connection, logger: logger) }
            var calledBefore = false
            if let caller = EventIntake.repeatCallerLookup(given) {
                calledBefore = try await !connection.rows(
                    "SELECT 1 AS one FROM calls WHERE account_id = \(account) AND caller = \(caller) LIMIT 1", logger: logger
                ).isEmpty
            }
            values = EventIntake.beginValues(given, campaign: campaign, location: location, received: request.now, calledBefore: calledBefore)
            storedText = values.jsonText
            let inserted = try await connection.rows(
                """
                INSERT INTO calls (account_id, id, begin_values, started_at, caller, campaign_id, location_id, source_id)
                VALUES (\(account), \(callID), \(storedText), \(now), \(EventIntake.caller(of: given)), \(routing.campaignID), \(routing.locationID), \(routing.sourceID))
                ON CONFLICT (account_id, id) DO NOTHING RETURNING id
                """, logger: logger)
            guard !inserted.isEmpty else { throw StoreError.conflict("call \(callID) already exists") }
        case .endCall(let callID, let given):
            // Locked: a call ends once, whichever process reports its end first.
            guard
                let call = try await connection.rows(
                    "SELECT begin_values, end_receipt, campaign_id, location_id, source_id FROM calls WHERE account_id = \(account) AND id = \(callID) FOR UPDATE",
                    logger: logger
                ).first
            else { throw StoreError.notFound("call \(callID) not found") }
            if let receipt = try call.column("end_receipt", as: String?.self) {
                let first = try decode(IngestReceipt.self, receipt)
                try await remember(request, receipt: first, connection: connection, logger: logger)
                return (IngestResult(receipt: first), [])
            }
            let ended = EventKind.callEnd.stamped(given, received: request.now)
            values = EventIntake.endValues(begin: try object(try call.column("begin_values")), ended: ended)
            routing = RoutingContext(campaignID: try call.column("campaign_id"), locationID: try call.column("location_id"), sourceID: try call.column("source_id"))
            callEnd = true
            try await connection.run(
                "UPDATE calls SET end_values = \(ended.jsonText), ended_at = \(now) WHERE account_id = \(account) AND id = \(callID)", logger: logger)
        case .createLead(let leadID, let given):
            let campaign = try await routing.campaignID.asyncFlatMap { try await Self.campaign(id: $0, accountID: account, connection: connection, logger: logger) }
            routing = EventIntake.routing(routing, campaign: campaign)
            let location = try await routing.locationID.asyncFlatMap { try await Self.location(id: $0, accountID: account, connection: connection, logger: logger) }
            values = EventIntake.leadValues(given, campaign: campaign, location: location, received: request.now)
            storedText = values.jsonText
            let inserted = try await connection.rows(
                """
                INSERT INTO leads (account_id, id, token_values, created_at, campaign_id, location_id, source_id)
                VALUES (\(account), \(leadID), \(storedText), \(now), \(routing.campaignID), \(routing.locationID), \(routing.sourceID))
                ON CONFLICT (account_id, id) DO NOTHING RETURNING id
                """, logger: logger)
            guard !inserted.isEmpty else { throw StoreError.conflict("lead \(leadID) already exists") }
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
            values = EventIntake.messageValues(lead: try object(try lead.column("token_values")), message: EventKind.leadMessage.stamped(given, received: request.now))
            routing = RoutingContext(campaignID: try lead.column("campaign_id"), locationID: try lead.column("location_id"), sourceID: try lead.column("source_id"))
        }

        let kind = request.command.kind
        let eventID = Identifier.make("evt", at: request.now)
        let subjectID = request.command.subjectID
        let subjectKind = kind.subject.rawValue
        try await connection.run(
            """
            INSERT INTO events (id, account_id, kind, subject_id, token_values, created_at)
            VALUES (\(eventID), \(account), \(kind.rawValue), \(subjectID), \(storedText ?? values.jsonText), \(now))
            """, logger: logger)

        var deliveryIDs: [String] = []
        var leased: [DeliveryJob] = []
        var lateDueTimes: [(String, Int64)] = []
        var valuesToRender: JSONObject?
        let candidates = try await connection.rows("SELECT * FROM webhooks WHERE account_id = \(account) AND enabled ORDER BY id", logger: logger)
        var dueAtByWebhook: [String: Int64?] = [:]
        var webhooks: [Webhook] = []
        for row in candidates {
            let webhook = try cache.webhook(row)
            dueAtByWebhook[webhook.id] = try row.column("next_due_at", as: Int64?.self)
            webhooks.append(webhook)
        }
        for webhook in EventIntake.matching(webhooks, kind: kind, values: values, routing: routing) {
            let deliveryID = Identifier.make("dlv", at: request.now)
            // Per-call order: behind an earlier pending delivery of the same call, wait (NULL).
            var waits = false
            if !kind.createsSubject {
                waits = try await !connection.rows(
                    """
                    SELECT 1 AS one FROM deliveries WHERE webhook_id = \(webhook.id) AND subject_kind = \(subjectKind) AND subject_id = \(subjectID)
                        AND status = 'pending' LIMIT 1
                    """, logger: logger
                ).isEmpty
            }
            let due = request.now.adding(seconds: webhook.settings.retry.delay(afterFailedAttempts: 0))
            var locked: PostgresRandomAccessRow?
            var offer: LeaseOffer?
            if let candidate = request.leaseOffer, !waits, due <= request.now, webhook.health.state == .healthy {
                locked = try await connection.rows("SELECT * FROM webhooks WHERE id = \(webhook.id) AND enabled FOR NO KEY UPDATE SKIP LOCKED", logger: logger).first
                if let locked {
                    let current = try cache.webhook(locked)
                    let rows = try await leasedRows(webhookID: webhook.id, now: now, connection: connection, logger: logger)
                    if LeasePolicy.mayGoAtOnce(
                        waitsBehindEarlier: waits, due: due, now: request.now, health: current.health, maxInFlight: current.settings.maxInFlight,
                        inFlight: candidate.answered.requestsInFlight(leasedRows: rows, webhookID: webhook.id)),
                        candidate.claim()
                    {
                        offer = candidate
                    }
                }
            }
            let nextAttempt = waits ? nil : offer?.leaseUntil.millisecondsSince1970 ?? due.millisecondsSince1970
            try await connection.run(
                """
                INSERT INTO deliveries (id, account_id, webhook_id, event_id, event_kind, subject_kind, subject_id, status,
                    schedule_started_at, next_attempt_at, lease_owner, created_at, updated_at)
                VALUES (\(deliveryID), \(account), \(webhook.id), \(eventID), \(kind.rawValue), \(subjectKind), \(subjectID), 'pending',
                    \(now), \(nextAttempt), \(offer?.owner), \(now), \(now))
                """, logger: logger)
            // A lease that runs out makes the webhook due then, for whichever worker is alive. A
            // webhook already due sooner needs no write.
            if let nextAttempt, (dueAtByWebhook[webhook.id] ?? nil).map({ $0 > nextAttempt }) ?? true {
                if locked != nil {
                    try await advanceDueTime(webhookID: webhook.id, to: nextAttempt, connection: connection, logger: logger)
                } else {
                    lateDueTimes.append((webhook.id, nextAttempt))
                }
            }
            deliveryIDs.append(deliveryID)
            if offer != nil {
                let delivery = Delivery(
                    id: deliveryID, accountID: account, webhookID: webhook.id, eventID: eventID, eventKind: kind, subjectID: subjectID,
                    status: .pending, attemptCount: 0, nextAttemptAt: nextAttempt.map(Timestamp.init(millisecondsSince1970:)),
                    createdAt: request.now, updatedAt: request.now, lastResponseStatus: nil, lastError: nil)
                if valuesToRender == nil {
                    valuesToRender =
                        kind.createsSubject
                        ? values
                        : EventIntake.renderValues(
                            values, captured: try await captured(accountID: account, subjectKind: subjectKind, subjectID: subjectID, connection: connection, logger: logger))
                }
                leased.append(
                    DeliveryJob(
                        delivery: delivery, webhook: webhook, values: valuesToRender ?? values, payload: nil, scheduleAttempts: 0, scheduleStartedAt: request.now))
            }
        }

        let receipt = IngestReceipt(
            id: request.command.resourceID, eventID: eventID, kind: kind, subjectID: subjectID, receivedAt: request.now, deliveryIDs: deliveryIDs)
        if callEnd {
            try await connection.run(
                "UPDATE calls SET end_receipt = \(try encode(receipt)) WHERE account_id = \(account) AND id = \(subjectID)", logger: logger)
        }
        try await remember(request, receipt: receipt, connection: connection, logger: logger)
        return (IngestResult(receipt: receipt, leased: leased), lateDueTimes)
    }

    private static func remember(_ request: IngestRequest, receipt: IngestReceipt, connection: PostgresConnection, logger: Logger) async throws {
        guard let idempotency = request.idempotencyKey else { return }
        try await connection.run(
            """
            INSERT INTO idempotency_keys (account_id, key, fingerprint, receipt, created_at)
            VALUES (\(request.accountID), \(idempotency.key), \(idempotency.fingerprint), \(try encode(receipt)), \(request.now.millisecondsSince1970))
            """, logger: logger)
    }

    // MARK: Calls and leads

    public func call(id: String, accountID: String) async throws -> Call? {
        try await withConnection { [logger] connection in
            guard let row = try await connection.rows("SELECT * FROM calls WHERE account_id = \(accountID) AND id = \(id)", logger: logger).first else { return nil }
            return try await Self.call(row, connection: connection, logger: logger)
        }
    }

    public func calls(accountID: String, page: PageRequest) async throws -> Page<Call> {
        try await withConnection { [logger] connection in
            try await Self.page(page, table: "calls", order: "started_at", accountID: accountID, connection: connection, logger: logger) {
                try await Self.call($0, connection: connection, logger: logger)
            }
        }
    }

    public func lead(id: String, accountID: String) async throws -> Lead? {
        try await withConnection { [logger] connection in
            guard let row = try await connection.rows("SELECT * FROM leads WHERE account_id = \(accountID) AND id = \(id)", logger: logger).first else { return nil }
            return try await Self.lead(row, connection: connection, logger: logger)
        }
    }

    public func leads(accountID: String, page: PageRequest) async throws -> Page<Lead> {
        try await withConnection { [logger] connection in
            try await Self.page(page, table: "leads", order: "created_at", accountID: accountID, connection: connection, logger: logger) {
                try await Self.lead($0, connection: connection, logger: logger)
            }
        }
    }

    /// Newest first by `order` then id; the cursor is the id of the last item of the previous page.
    /// `table` and `order` are the callers' constants, never input.
    private static func page<Item>(
        _ page: PageRequest, table: String, order: String, accountID: String, connection: PostgresConnection, logger: Logger,
        map: (PostgresRandomAccessRow) async throws -> Item
    ) async throws -> Page<Item> {
        var query: PostgresQuery = "SELECT * FROM \(unescaped: table) WHERE account_id = \(accountID)"
        if let cursor = page.cursor {
            query = """
                SELECT * FROM \(unescaped: table) WHERE account_id = \(accountID)
                    AND (\(unescaped: order), id) < (SELECT \(unescaped: order), id FROM \(unescaped: table) WHERE account_id = \(accountID) AND id = \(cursor))
                """
        }
        query.sql += " ORDER BY \(order) DESC, id DESC LIMIT \(page.limit + 1)"
        let rows = try await connection.rows(query, logger: logger)
        var items: [Item] = []
        for row in rows.prefix(page.limit) { items.append(try await map(row)) }
        return Page(items: items, nextCursor: rows.count > page.limit ? try rows[page.limit - 1].column("id") : nil)
    }

    static func call(_ row: PostgresRandomAccessRow, connection: PostgresConnection, logger: Logger) async throws -> Call {
        let id: String = try row.column("id")
        let account: String = try row.column("account_id")
        return Call(
            id: id, accountID: account, beginValues: try object(try row.column("begin_values")),
            endValues: try row.column("end_values", as: String?.self).map(object), startedAt: try row.time("started_at"), endedAt: try row.optionalTime("ended_at"),
            routing: RoutingContext(campaignID: try row.column("campaign_id"), locationID: try row.column("location_id"), sourceID: try row.column("source_id")),
            captured: try await captured(accountID: account, subjectKind: SubjectKind.call.rawValue, subjectID: id, connection: connection, logger: logger))
    }

    static func lead(_ row: PostgresRandomAccessRow, connection: PostgresConnection, logger: Logger) async throws -> Lead {
        let id: String = try row.column("id")
        let account: String = try row.column("account_id")
        return Lead(
            id: id, accountID: account, values: try object(try row.column("token_values")), createdAt: try row.time("created_at"),
            messageCount: try row.column("message_count"),
            routing: RoutingContext(campaignID: try row.column("campaign_id"), locationID: try row.column("location_id"), sourceID: try row.column("source_id")),
            captured: try await captured(accountID: account, subjectKind: SubjectKind.lead.rawValue, subjectID: id, connection: connection, logger: logger))
    }

    static func captured(accountID: String, subjectKind: String, subjectID: String, connection: PostgresConnection, logger: Logger) async throws -> JSONObject {
        try await connection.rows(
            "SELECT token_values FROM captures WHERE account_id = \(accountID) AND subject_kind = \(subjectKind) AND subject_id = \(subjectID)", logger: logger
        ).first.map { try object(try $0.column("token_values")) } ?? JSONObject()
    }
}

extension Optional {
    func asyncFlatMap<U>(_ transform: (Wrapped) async throws -> U?) async rethrows -> U? {
        guard let self else { return nil }
        return try await transform(self)
    }
}
