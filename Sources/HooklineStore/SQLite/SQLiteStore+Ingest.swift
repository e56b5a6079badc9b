import GRDB
import HooklineCore

extension SQLiteStore {
    public func ingest(_ request: IngestRequest) async throws -> IngestResult {
        let cache = webhookCache
        return try await groupWrite { db in
            try Self.ingest(request, cache: cache, db: db)
        }
    }

    static func ingest(_ request: IngestRequest, cache: SQLiteWebhookCache, db: Database) throws -> IngestResult {
        if let idempotency = request.idempotencyKey,
            let row = try Row.cachedOne(db, sql: "SELECT fingerprint, receipt FROM idempotency_keys WHERE account_id = ? AND key = ?",
                arguments: [request.accountID, idempotency.key])
        {
            guard row["fingerprint"] == idempotency.fingerprint else {
                throw StoreError.idempotencyKeyReused("Idempotency-Key '\(idempotency.key)' was already used with another request")
            }
            return IngestResult(receipt: try decode(IngestReceipt.self, row["receipt"]))
        }
        var request = request
        var write = try writeSubject(request, db: db)
        if case .becomes(let command) = write {
            request.command = command
            write = try writeSubject(request, db: db)
        }
        let subject: IngestedSubject
        switch write {
        case .written(let written): subject = written
        case .reportedBefore(let receipt):
            try remember(request, receipt: receipt, db: db)
            return IngestResult(receipt: receipt)
        case .becomes: throw StoreError.conflict("the call's end was reported twice at once")
        }
        let kind = request.command.kind
        let eventID = Identifier.make("evt", at: request.now)
        try db.run(
            sql: """
                INSERT INTO events (id, account_id, kind, subject_id, token_values, created_at, subject_version, source_id, trace_parent)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                eventID, request.accountID, kind.rawValue, request.command.subjectID, subject.storedText ?? subject.values.jsonText, request.now.millisecondsSince1970,
                subject.version, request.routing.sourceID, request.traceParent,
            ])
        let released = try subject.callNow.map { call in
            try releaseHolds(accountID: request.accountID, callID: request.command.subjectID, call: call, version: subject.version, now: request.now, db: db)
        } ?? 0
        let (deliveryIDs, leased) = try writeDeliveries(request, subject: subject, eventID: eventID, cache: cache, db: db)
        let receipt = IngestReceipt(
            id: request.command.resourceID, eventID: eventID, kind: kind, subjectID: request.command.subjectID, receivedAt: request.now, deliveryIDs: deliveryIDs,
            changedFields: subject.change?.changedFields, version: subject.version)
        if let ended = subject.endedCall {
            // The transaction holds the database: the end is written once, with its answer.
            try db.run(
                sql: "UPDATE calls SET end_values = ?, later_values = ?, ended_at = ?, version = ?, end_receipt = ? WHERE account_id = ? AND id = ?",
                arguments: [
                    ended.values.end?.jsonText, ended.values.laterText, ended.endedAt.millisecondsSince1970, ended.version, try encode(receipt),
                    request.accountID, request.command.subjectID,
                ])
        }
        try remember(request, receipt: receipt, db: db)
        return IngestResult(receipt: receipt, leased: leased, releasedHolds: released)
    }

    /// One delivery per matching webhook, as `IngestDelivery` plans it; those leased at once come
    /// back as jobs for the ingesting process's worker.
    private static func writeDeliveries(
        _ request: IngestRequest, subject: IngestedSubject, eventID: String, cache: SQLiteWebhookCache, db: Database
    ) throws -> ([String], [DeliveryJob]) {
        let (kind, subjectID, now) = (request.command.kind, request.command.subjectID, request.now.millisecondsSince1970)
        let candidates = try Row.cachedMap(db, sql: "SELECT * FROM webhooks WHERE account_id = ? AND enabled = 1 ORDER BY id", arguments: [request.accountID]) { row in
            (webhook: try cache.webhook(row), dueAt: (row["next_due_at"] as Int64?).map(Timestamp.init(millisecondsSince1970:)))
        }
        let dueAtByWebhook = Dictionary(candidates.map { ($0.webhook.id, $0.dueAt) }, uniquingKeysWith: { first, _ in first })
        var deliveryIDs: [String] = []
        var leased: [DeliveryJob] = []
        // Read once, for the first delivery leased here.
        var valuesToRender: JSONObject?
        for webhook in IngestRules.matching(candidates.map(\.webhook), kind: kind, values: subject.values, routing: subject.routing) {
            let held = DeliveryHold.start(webhook.settings.hold, kind: kind, values: subject.values, now: request.now)
            let waits = try IngestDelivery.checksOrder(of: kind) && exists(db, Self.pendingOfSubject + " LIMIT 1", [webhook.id, subjectID, kind.subject.rawValue])
            let plan = IngestDelivery(retry: webhook.settings.retry, waitsBehindEarlier: waits || held != nil, now: request.now)
            let offer = try leaseAtOnce(plan, webhook: webhook, offer: request.leaseOffer, now: now, db: db)
            let nextAttempt = plan.nextAttemptAt(leasedUntil: offer?.leaseUntil)
            let deliveryID = Identifier.make("dlv", at: request.now)
            try db.run(
                sql: """
                    INSERT INTO deliveries (id, account_id, webhook_id, event_id, event_kind, subject_kind, subject_id, status,
                        schedule_started_at, next_attempt_at, lease_owner, created_at, updated_at, held_until, held_for)
                    VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    deliveryID, request.accountID, webhook.id, eventID, kind.rawValue, kind.subject.rawValue, subjectID, now, nextAttempt?.millisecondsSince1970,
                    offer?.owner, now, now, held?.millisecondsSince1970, try held.map { _ in try encode(webhook.settings.hold?.until ?? []) },
                ])
            if let nextAttempt, IngestDelivery.movesDueTime(from: dueAtByWebhook[webhook.id] ?? nil, to: nextAttempt) {
                try advanceDueTime(webhookID: webhook.id, to: nextAttempt.millisecondsSince1970, db: db)
            }
            deliveryIDs.append(deliveryID)
            guard offer != nil else { continue }
            let rendered = try valuesToRender ?? renderValues(subject.values, kind: kind, accountID: request.accountID, subjectID: subjectID, db: db)
            valuesToRender = rendered
            leased.append(.leasedAtIngest(deliveryID: deliveryID, eventID: eventID, request: request, webhook: webhook, nextAttemptAt: nextAttempt, values: rendered))
        }
        return (deliveryIDs, leased)
    }

    /// The worker's offer, when the plan lets the delivery go at once and a slot is claimed.
    private static func leaseAtOnce(_ plan: IngestDelivery, webhook: Webhook, offer: (any LeaseOffer)?, now: Int64, db: Database) throws -> (any LeaseOffer)? {
        guard let offer, plan.mayLeaseAtOnce(webhook) else { return nil }
        let inFlight = offer.requestsInFlight(leasedRows: try leasedRows(webhookID: webhook.id, now: now, db: db), webhookID: webhook.id)
        guard plan.leasesAtOnce(webhook, inFlight: inFlight), offer.claim() else { return nil }
        return offer
    }

    /// What a delivery renders with: the event's values and what receivers answered about its call
    /// or lead (a CRM's order_id). A new call or lead has no answers yet.
    private static func renderValues(_ values: JSONObject, kind: EventKind, accountID: String, subjectID: String, db: Database) throws -> JSONObject {
        guard !kind.createsSubject else { return values }
        return IngestRules.renderValues(values, captured: try captured(accountID: accountID, subjectKind: kind.subject.rawValue, subjectID: subjectID, db: db))
    }

    private static func remember(_ request: IngestRequest, receipt: IngestReceipt, db: Database) throws {
        guard let idempotency = request.idempotencyKey else { return }
        try db.run(
            sql: "INSERT INTO idempotency_keys (account_id, key, fingerprint, receipt, created_at) VALUES (?, ?, ?, ?, ?)",
            arguments: [request.accountID, idempotency.key, idempotency.fingerprint, try encode(receipt), request.now.millisecondsSince1970])
    }

    /// A call's and a lead's ids may be equal: order is kept among deliveries of one kind of
    /// subject.
    static let pendingOfSubject = """
        SELECT rowid FROM deliveries INDEXED BY deliveries_order
        WHERE webhook_id = ? AND subject_id = ? AND status = 'pending' AND subject_kind = ?
        """

    /// Inserts a new call, lead or conversion; its primary key answers whether it already exists.
    static func insertNew(_ subject: @autoclosure () -> String, db: Database, sql: String, arguments: StatementArguments) throws {
        do {
            try db.run(sql: sql, arguments: arguments)
        } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_PRIMARYKEY {
            throw StoreError.conflict("\(subject()) already exists")
        }
    }

    static func exists(_ db: Database, _ sql: String, _ arguments: StatementArguments) throws -> Bool {
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
        let stored = try callValues(row)
        return Call(
            id: id, accountID: account, beginValues: stored.begin, endValues: stored.end, laterValues: stored.later, version: row["version"],
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
            createdAt: Timestamp(millisecondsSince1970: row["created_at"]), messageCount: row["message_count"], version: row["version"],
            routing: RoutingContext(campaignID: row["campaign_id"], locationID: row["location_id"], sourceID: row["source_id"]),
            captured: try captured(accountID: account, subjectKind: "lead", subjectID: id, db: db))
    }

    static func captured(accountID: String, subjectKind: String, subjectID: String, db: Database) throws -> JSONObject {
        try String.cachedOne(db, sql: "SELECT token_values FROM captures WHERE account_id = ? AND subject_kind = ? AND subject_id = ?",
            arguments: [accountID, subjectKind, subjectID]).map(object) ?? JSONObject()
    }
}
