import GRDB
import HooklineCore

extension SQLiteStore {
    public func ingest(_ request: IngestRequest) async throws -> IngestReceipt {
        let cache = webhookCache
        return try await groupCommit.write { db in
            try Self.ingest(request, cache: cache, db: db)
        }
    }

    static func ingest(_ request: IngestRequest, cache: WebhookCache, db: Database) throws -> IngestReceipt {
        let account = request.accountID
        let now = request.now.millisecondsSince1970
        if let idempotency = request.idempotencyKey,
            let row = try Row.cachedOne(db, sql: "SELECT fingerprint, receipt FROM idempotency_keys WHERE account_id = ? AND key = ?",
                arguments: [account, idempotency.key])
        {
            guard row["fingerprint"] == idempotency.fingerprint else {
                throw StoreError.idempotencyKeyReused("Idempotency-Key '\(idempotency.key)' was already used with another request")
            }
            return try decode(IngestReceipt.self, row["receipt"])
        }

        let values: JSONObject
        var callEnd = false
        switch request.command {
        case .beginCall(let callID, let given):
            guard try !exists(db, "SELECT 1 FROM calls WHERE account_id = ? AND id = ?", [account, callID]) else {
                throw StoreError.conflict("call \(callID) already exists")
            }
            values = given
            try db.run(
                sql: "INSERT INTO calls (account_id, id, begin_values, started_at) VALUES (?, ?, ?, ?)",
                arguments: [account, callID, values.jsonText, now])
        case .endCall(let callID, let given):
            guard
                let call = try Row.cachedOne(db, sql: "SELECT begin_values, end_receipt FROM calls WHERE account_id = ? AND id = ?", arguments: [account, callID])
            else { throw StoreError.notFound("call \(callID) not found") }
            if let receipt: String = call["end_receipt"] {
                let first = try decode(IngestReceipt.self, receipt)
                try remember(request, receipt: first, db: db)
                return first
            }
            values = try object(call["begin_values"]).merging(given)
            callEnd = true
            try db.run(
                sql: "UPDATE calls SET end_values = ?, ended_at = ? WHERE account_id = ? AND id = ?",
                arguments: [given.jsonText, now, account, callID])
        case .createLead(let leadID, let given):
            guard try !exists(db, "SELECT 1 FROM leads WHERE account_id = ? AND id = ?", [account, leadID]) else {
                throw StoreError.conflict("lead \(leadID) already exists")
            }
            values = given
            try db.run(
                sql: "INSERT INTO leads (account_id, id, token_values, created_at) VALUES (?, ?, ?, ?)",
                arguments: [account, leadID, values.jsonText, now])
        case .addMessage(let leadID, _, let given):
            guard let lead = try String.cachedOne(db, sql: "SELECT token_values FROM leads WHERE account_id = ? AND id = ?", arguments: [account, leadID])
            else { throw StoreError.notFound("lead \(leadID) not found") }
            // A message renders with what is known of its lead.
            values = try object(lead).merging(given)
            try db.run(sql: "UPDATE leads SET message_count = message_count + 1 WHERE account_id = ? AND id = ?", arguments: [account, leadID])
        }

        let kind = request.command.kind
        let eventID = Identifier.make("evt", at: request.now)
        try db.run(
            sql: "INSERT INTO events (id, account_id, kind, subject_id, token_values, created_at) VALUES (?, ?, ?, ?, ?, ?)",
            arguments: [eventID, account, kind.rawValue, request.command.subjectID, values.jsonText, now])

        var deliveryIDs: [String] = []
        let candidates = try Row.cachedAll(db, sql: "SELECT id, settings FROM webhooks WHERE account_id = ? AND enabled = 1 ORDER BY id", arguments: [account])
        for row in candidates {
            let webhook = (id: row["id"] as String, settings: try cache.settings(row))
            guard webhook.settings.triggers.contains(kind) else { continue }
            let deliveryID = Identifier.make("dlv", at: request.now)
            // Per-call order: behind an earlier pending delivery of the same call, wait (NULL).
            let waits = try exists(
                db, "SELECT 1 FROM deliveries INDEXED BY deliveries_order WHERE webhook_id = ? AND subject_id = ? AND status = 'pending' LIMIT 1",
                [webhook.id, request.command.subjectID])
            let due = request.now.adding(seconds: webhook.settings.retry.delay(afterFailedAttempts: 0)).millisecondsSince1970
            try db.run(
                sql: """
                    INSERT INTO deliveries (id, account_id, webhook_id, event_id, event_kind, subject_id, status,
                        schedule_started_at, next_attempt_at, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?)
                    """,
                arguments: [
                    deliveryID, account, webhook.id, eventID, kind.rawValue, request.command.subjectID, now,
                    waits ? nil : due, now, now,
                ])
            if !waits { try advanceDueTime(webhookID: webhook.id, to: due, db: db) }
            deliveryIDs.append(deliveryID)
        }

        let receipt = IngestReceipt(
            id: request.command.resourceID, eventID: eventID, kind: kind, subjectID: request.command.subjectID, receivedAt: request.now, deliveryIDs: deliveryIDs)
        if callEnd {
            try db.run(
                sql: "UPDATE calls SET end_receipt = ? WHERE account_id = ? AND id = ?",
                arguments: [try encode(receipt), account, request.command.subjectID])
        }
        try remember(request, receipt: receipt, db: db)
        return receipt
    }

    private static func remember(_ request: IngestRequest, receipt: IngestReceipt, db: Database) throws {
        guard let idempotency = request.idempotencyKey else { return }
        try db.run(
            sql: "INSERT INTO idempotency_keys (account_id, key, fingerprint, receipt, created_at) VALUES (?, ?, ?, ?, ?)",
            arguments: [request.accountID, idempotency.key, idempotency.fingerprint, try encode(receipt), request.now.millisecondsSince1970])
    }

    private static func exists(_ db: Database, _ sql: String, _ arguments: StatementArguments) throws -> Bool {
        try Bool.cachedOne(db, sql: sql, arguments: arguments) != nil
    }

    // MARK: Calls and leads

    public func call(id: String, accountID: String) async throws -> Call? {
        try await pool.read { db in
            try Row.cachedOne(db, sql: "SELECT * FROM calls WHERE account_id = ? AND id = ?", arguments: [accountID, id]).map(Self.call)
        }
    }

    public func calls(accountID: String, page: PageRequest) async throws -> Page<Call> {
        try await pool.read { db in
            try Self.page(page, db: db, table: "calls", order: "started_at", accountID: accountID, map: Self.call)
        }
    }

    public func lead(id: String, accountID: String) async throws -> Lead? {
        try await pool.read { db in
            try Row.cachedOne(db, sql: "SELECT * FROM leads WHERE account_id = ? AND id = ?", arguments: [accountID, id]).map(Self.lead)
        }
    }

    public func leads(accountID: String, page: PageRequest) async throws -> Page<Lead> {
        try await pool.read { db in
            try Self.page(page, db: db, table: "leads", order: "created_at", accountID: accountID, map: Self.lead)
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

    static func call(_ row: Row) throws -> Call {
        Call(
            id: row["id"], accountID: row["account_id"], beginValues: try object(row["begin_values"]),
            endValues: try (row["end_values"] as String?).map(object),
            startedAt: Timestamp(millisecondsSince1970: row["started_at"]),
            endedAt: (row["ended_at"] as Int64?).map(Timestamp.init(millisecondsSince1970:)))
    }

    static func lead(_ row: Row) throws -> Lead {
        Lead(
            id: row["id"], accountID: row["account_id"], values: try object(row["token_values"]),
            createdAt: Timestamp(millisecondsSince1970: row["created_at"]), messageCount: row["message_count"])
    }
}
