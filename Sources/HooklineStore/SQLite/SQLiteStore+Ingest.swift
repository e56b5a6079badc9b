import GRDB
import HooklineCore

extension SQLiteStore {
    public func ingest(_ request: IngestRequest) async throws -> IngestResult {
        let cache = webhookCache
        return try await groupWrite { db in
            try Self.ingest(request, cache: cache, db: db)
        }
    }

    static func ingest(_ request: IngestRequest, cache: WebhookCache, db: Database) throws -> IngestResult {
        let account = request.accountID
        let now = request.now.millisecondsSince1970
        if let idempotency = request.idempotencyKey,
            let row = try Row.cachedOne(db, sql: "SELECT fingerprint, receipt FROM idempotency_keys WHERE account_id = ? AND key = ?",
                arguments: [account, idempotency.key])
        {
            guard row["fingerprint"] == idempotency.fingerprint else {
                throw StoreError.idempotencyKeyReused("Idempotency-Key '\(idempotency.key)' was already used with another request")
            }
            return IngestResult(receipt: try decode(IngestReceipt.self, row["receipt"]))
        }

        var values: JSONObject
        var routing = request.routing
        var callEnd = false
        // The event's values as stored with a new call or lead: the same text serves the event.
        var storedText: String?
        switch request.command {
        case .beginCall(let callID, let given):
            let campaign: Campaign? =
                switch EventIntake.campaignLookup(routing, values: given) {
                case .id(let id): try Self.campaign(id: id, accountID: account, db: db)
                case .trackingNumber(let number): try Self.campaign(trackingNumber: number, accountID: account, db: db)
                case .none: nil
                }
            routing = EventIntake.routing(routing, campaign: campaign)
            let location = try routing.locationID.flatMap { try Self.location(id: $0, accountID: account, db: db) }
            let calledBefore = try EventIntake.repeatCallerLookup(given).map { caller in
                try exists(db, "SELECT 1 FROM calls INDEXED BY calls_by_caller WHERE account_id = ? AND caller = ? LIMIT 1", [account, caller])
            } ?? false
            values = EventIntake.beginValues(given, campaign: campaign, location: location, received: request.now, calledBefore: calledBefore)
            storedText = values.jsonText
            try insertNew(
                "call \(callID)", db: db,
                sql: "INSERT INTO calls (account_id, id, begin_values, started_at, caller, campaign_id, location_id, source_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                arguments: [account, callID, storedText, now, EventIntake.caller(of: given), routing.campaignID, routing.locationID, routing.sourceID])
        case .endCall(let callID, let given):
            guard
                let call = try Row.cachedOne(db, sql: "SELECT begin_values, end_receipt, campaign_id, location_id, source_id FROM calls WHERE account_id = ? AND id = ?", arguments: [account, callID])
            else { throw StoreError.notFound("call \(callID) not found") }
            if let receipt: String = call["end_receipt"] {
                let first = try decode(IngestReceipt.self, receipt)
                try remember(request, receipt: first, db: db)
                return IngestResult(receipt: first)
            }
            let ended = EventKind.callEnd.stamped(given, received: request.now)
            values = EventIntake.endValues(begin: try object(call["begin_values"]), ended: ended)
            routing = RoutingContext(campaignID: call["campaign_id"], locationID: call["location_id"], sourceID: call["source_id"])
            callEnd = true
            try db.run(
                sql: "UPDATE calls SET end_values = ?, ended_at = ? WHERE account_id = ? AND id = ?",
                arguments: [ended.jsonText, now, account, callID])
        case .createLead(let leadID, let given):
            let campaign = try routing.campaignID.flatMap { try Self.campaign(id: $0, accountID: account, db: db) }
            routing = EventIntake.routing(routing, campaign: campaign)
            let location = try routing.locationID.flatMap { try Self.location(id: $0, accountID: account, db: db) }
            values = EventIntake.leadValues(given, campaign: campaign, location: location, received: request.now)
            storedText = values.jsonText
            try insertNew(
                "lead \(leadID)", db: db,
                sql: "INSERT INTO leads (account_id, id, token_values, created_at, campaign_id, location_id, source_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
                arguments: [account, leadID, storedText, now, routing.campaignID, routing.locationID, routing.sourceID])
        case .addMessage(let leadID, _, let given):
            guard let lead = try Row.cachedOne(db, sql: "SELECT token_values, campaign_id, location_id, source_id FROM leads WHERE account_id = ? AND id = ?", arguments: [account, leadID])
            else { throw StoreError.notFound("lead \(leadID) not found") }
            values = EventIntake.messageValues(lead: try object(lead["token_values"]), message: EventKind.leadMessage.stamped(given, received: request.now))
            routing = RoutingContext(campaignID: lead["campaign_id"], locationID: lead["location_id"], sourceID: lead["source_id"])
            try db.run(sql: "UPDATE leads SET message_count = message_count + 1, updated_at = ? WHERE account_id = ? AND id = ?", arguments: [now, account, leadID])
        }

        let kind = request.command.kind
        let eventID = Identifier.make("evt", at: request.now)
        try db.run(
            sql: "INSERT INTO events (id, account_id, kind, subject_id, token_values, created_at) VALUES (?, ?, ?, ?, ?, ?)",
            arguments: [eventID, account, kind.rawValue, request.command.subjectID, storedText ?? values.jsonText, now])

        var deliveryIDs: [String] = []
        var leased: [DeliveryJob] = []
        // Read once, for the first delivery leased here.
        var valuesToRender: JSONObject?
        let subjectID = request.command.subjectID
        let subjectKind = kind.subject
        let candidates = try Row.cachedMap(db, sql: "SELECT * FROM webhooks WHERE account_id = ? AND enabled = 1 ORDER BY id", arguments: [account]) { row in
            (webhook: try cache.webhook(row), dueAt: row["next_due_at"] as Int64?)
        }
        let dueAtByWebhook = Dictionary(candidates.map { ($0.webhook.id, $0.dueAt) }, uniquingKeysWith: { first, _ in first })
        for webhook in EventIntake.matching(candidates.map(\.webhook), kind: kind, values: values, routing: routing) {
            let dueAt = dueAtByWebhook[webhook.id] ?? nil
            let deliveryID = Identifier.make("dlv", at: request.now)
            // Per-call order: behind an earlier pending delivery of the same call, wait (NULL).
            let waits = try !kind.createsSubject && exists(db, Self.pendingOfSubject + " LIMIT 1", [webhook.id, subjectID, subjectKind.rawValue])
            let due = request.now.adding(seconds: webhook.settings.retry.delay(afterFailedAttempts: 0))
            let offer = try request.leaseOffer.flatMap { offer -> LeaseOffer? in
                let inFlight = offer.answered.requestsInFlight(leasedRows: try leasedRows(webhookID: webhook.id, now: now, db: db), webhookID: webhook.id)
                guard
                    LeasePolicy.mayGoAtOnce(
                        waitsBehindEarlier: waits, due: due, now: request.now, health: webhook.health, maxInFlight: webhook.settings.maxInFlight,
                        inFlight: inFlight),
                    offer.claim()
                else { return nil }
                return offer
            }
            let nextAttempt = waits ? nil : offer?.leaseUntil.millisecondsSince1970 ?? due.millisecondsSince1970
            try db.run(
                sql: """
                    INSERT INTO deliveries (id, account_id, webhook_id, event_id, event_kind, subject_id, status,
                        schedule_started_at, next_attempt_at, lease_owner, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?, ?)
                    """,
                arguments: [deliveryID, account, webhook.id, eventID, kind.rawValue, subjectID, now, nextAttempt, offer?.owner, now, now])
            // A lease that runs out makes the webhook due then, for whichever worker is alive. A
            // webhook already due sooner (an earlier lease, say) needs no write.
            if let nextAttempt, dueAt.map({ $0 > nextAttempt }) ?? true { try advanceDueTime(webhookID: webhook.id, to: nextAttempt, db: db) }
            deliveryIDs.append(deliveryID)
            if offer != nil {
                let delivery = Delivery(
                    id: deliveryID, accountID: account, webhookID: webhook.id, eventID: eventID, eventKind: kind, subjectID: subjectID,
                    status: .pending, attemptCount: 0, nextAttemptAt: nextAttempt.map(Timestamp.init(millisecondsSince1970:)),
                    createdAt: request.now, updatedAt: request.now, lastResponseStatus: nil, lastError: nil)
                let rendered = try valuesToRender ?? renderValues(values, kind: kind, accountID: account, subjectID: subjectID, db: db)
                valuesToRender = rendered
                leased.append(
                    DeliveryJob(
                        delivery: delivery, webhook: webhook, values: rendered, payload: nil, scheduleAttempts: 0, scheduleStartedAt: request.now))
            }
        }

        let receipt = IngestReceipt(
            id: request.command.resourceID, eventID: eventID, kind: kind, subjectID: subjectID, receivedAt: request.now, deliveryIDs: deliveryIDs)
        if callEnd {
            try db.run(
                sql: "UPDATE calls SET end_receipt = ? WHERE account_id = ? AND id = ?",
                arguments: [try encode(receipt), account, request.command.subjectID])
        }
        try remember(request, receipt: receipt, db: db)
        return IngestResult(receipt: receipt, leased: leased)
    }

    /// What a delivery renders with: the event's values and what receivers answered about its call
    /// or lead (a CRM's order_id). A new call or lead has no answers yet.
    private static func renderValues(_ values: JSONObject, kind: EventKind, accountID: String, subjectID: String, db: Database) throws -> JSONObject {
        guard !kind.createsSubject else { return values }
        return EventIntake.renderValues(values, captured: try captured(accountID: accountID, subjectKind: kind.subject.rawValue, subjectID: subjectID, db: db))
    }

    private static func remember(_ request: IngestRequest, receipt: IngestReceipt, db: Database) throws {
        guard let idempotency = request.idempotencyKey else { return }
        try db.run(
            sql: "INSERT INTO idempotency_keys (account_id, key, fingerprint, receipt, created_at) VALUES (?, ?, ?, ?, ?)",
            arguments: [request.accountID, idempotency.key, idempotency.fingerprint, try encode(receipt), request.now.millisecondsSince1970])
    }

    /// A call's and a lead's ids may be equal: order is kept among deliveries of one kind of
    /// subject. The CASE is `SubjectKind` in SQL.
    static let pendingOfSubject = """
        SELECT rowid FROM deliveries INDEXED BY deliveries_order
        WHERE webhook_id = ? AND subject_id = ? AND status = 'pending' AND CASE WHEN event_kind LIKE 'call.%' THEN 'call' ELSE 'lead' END = ?
        """

    /// Inserts a new call or lead; its primary key answers whether it already exists.
    private static func insertNew(_ subject: @autoclosure () -> String, db: Database, sql: String, arguments: StatementArguments) throws {
        do {
            try db.run(sql: sql, arguments: arguments)
        } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_PRIMARYKEY {
            throw StoreError.conflict("\(subject()) already exists")
        }
    }

    private static func exists(_ db: Database, _ sql: String, _ arguments: StatementArguments) throws -> Bool {
        try Bool.cachedOne(db, sql: sql, arguments: arguments) != nil
    }

    // MARK: Calls and leads

    public func call(id: String, accountID: String) async throws -> Call? {
        try await pool.read { db in
            try Row.cachedOne(db, sql: "SELECT * FROM calls WHERE account_id = ? AND id = ?", arguments: [accountID, id]).map { try Self.call($0, db: db) }
        }
    }

    public func calls(accountID: String, page: PageRequest) async throws -> Page<Call> {
        try await pool.read { db in
            try Self.page(page, db: db, table: "calls", order: "started_at", accountID: accountID) { try Self.call($0, db: db) }
        }
    }

    public func lead(id: String, accountID: String) async throws -> Lead? {
        try await pool.read { db in
            try Row.cachedOne(db, sql: "SELECT * FROM leads WHERE account_id = ? AND id = ?", arguments: [accountID, id]).map { try Self.lead($0, db: db) }
        }
    }

    public func leads(accountID: String, page: PageRequest) async throws -> Page<Lead> {
        try await pool.read { db in
            try Self.page(page, db: db, table: "leads", order: "created_at", accountID: accountID) { try Self.lead($0, db: db) }
        }
    }

    /// Newest first by `order` then id; the cursor is the id of the last item of the previous page.
    private static func page<Item>(
        _ page: PageRequest, db: Database, table: String, order: String, accountID: String, map: (Row) throws -> Item
    ) throws -> Page<Item> {
        var sql = "SELECT * FROM \(table) WHERE account_id = ?"
        var arguments: StatementArguments = [accountID]
        if let cursor = page.cursor {
            sql += " AND (\(order), id) < (SELECT \(order), id FROM \(table) WHERE account_id = ? AND id = ?)"
            arguments += [accountID, cursor]
        }
        sql += " ORDER BY \(order) DESC, id DESC LIMIT ?"
        arguments += [page.limit + 1]
        let rows = try Row.cachedAll(db, sql: sql, arguments: arguments)
        let items = try rows.prefix(page.limit).map(map)
        return Page(items: items, nextCursor: rows.count > page.limit ? rows[page.limit - 1]["id"] : nil)
    }

    static func call(_ row: Row, db: Database) throws -> Call {
        let id: String = row["id"]
        let account: String = row["account_id"]
        return Call(
            id: id, accountID: account, beginValues: try object(row["begin_values"]),
            endValues: try (row["end_values"] as String?).map(object),
            startedAt: Timestamp(millisecondsSince1970: row["started_at"]),
            endedAt: (row["ended_at"] as Int64?).map(Timestamp.init(millisecondsSince1970:)),
            routing: RoutingContext(campaignID: row["campaign_id"], locationID: row["location_id"], sourceID: row["source_id"]),
            captured: try captured(accountID: account, subjectKind: "call", subjectID: id, db: db))
    }

    static func lead(_ row: Row, db: Database) throws -> Lead {
        let id: String = row["id"]
        let account: String = row["account_id"]
        return Lead(
            id: id, accountID: account, values: try object(row["token_values"]),
            createdAt: Timestamp(millisecondsSince1970: row["created_at"]), messageCount: row["message_count"],
            routing: RoutingContext(campaignID: row["campaign_id"], locationID: row["location_id"], sourceID: row["source_id"]),
            captured: try captured(accountID: account, subjectKind: "lead", subjectID: id, db: db))
    }

    static func captured(accountID: String, subjectKind: String, subjectID: String, db: Database) throws -> JSONObject {
        try String.cachedOne(db, sql: "SELECT token_values FROM captures WHERE account_id = ? AND subject_kind = ? AND subject_id = ?",
            arguments: [accountID, subjectKind, subjectID]).map(object) ?? JSONObject()
    }
}
