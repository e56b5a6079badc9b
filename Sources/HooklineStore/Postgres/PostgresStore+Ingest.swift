import Foundation
import HooklineCore
import PostgresNIO

extension PostgresStore {
    /// One transaction holding, while it decides, the rows that make its decisions safe from other
    /// processes: the idempotency key (an advisory lock), the call or lead (its row: an end or a
    /// message waits for an earlier one, and a record that releases the call's next delivery waits
    /// for this one), and each webhook it leases from at once (`SKIP LOCKED`: a webhook another
    /// transaction holds gets its delivery leased by a worker instead of waiting for it). Ingests
    /// that arrive together share it (`IngestLanes`, `ingestInLane(batch:)`). The webhooks the
    /// ingest found held get their due times moved after its lane is free.
    public func ingest(_ request: IngestRequest) async throws -> IngestResult {
        let ingested = try await ingestLanes.submit(request) { batch in await ingestInLane(batch: batch) }.get()
        await advanceLate(ingested.lateDueTimes)
        return ingested.result
    }

    /// Webhooks held by another transaction when an ingest wrote: their due time moves earlier
    /// now, outside the transaction, waiting for their lock without holding any. A crash just
    /// before leaves them to `sweepLateDueTimes`.
    func advanceLate(_ lateDueTimes: EarliestDueTimes) async {
        for (webhookID, due) in lateDueTimes.byWebhook {
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
    }

    /// One ingest of a transaction; `begun` when its call and event went in with the beginnings
    /// before and after it (`begin(_:connection:logger:)`).
    static func ingest(
        _ request: IngestRequest, begun: InsertedEvent? = nil, cache: PostgresWebhookCache, locks: WebhookLocks.Taken, writes: inout IngestWrites,
        connection: PostgresConnection, logger: Logger
    ) async throws -> Ingested {
        let row = SubjectRow(kind: request.command.kind.subject, accountID: request.accountID, id: request.command.subjectID)
        if !request.command.kind.createsSubject, writes.holdsDeliveries(of: row) { try await writes.write(connection: connection, logger: logger) }
        let event: InsertedEvent
        if let begun {
            event = begun
        } else {
            switch try await insertSubjectAndEvent(request, receipts: &writes.receipts, connection: connection, logger: logger) {
            case .answered(let receipt): return Ingested(result: IngestResult(receipt: receipt), lateDueTimes: EarliestDueTimes())
            case .inserted(let inserted): event = inserted
            }
        }
        var request = request
        request.command = event.command
        let (account, kind, subjectID, subject, eventID) = (request.accountID, request.command.kind, request.command.subjectID, event.subject, event.eventID)
        // Released holds move their webhooks' due times after the commit, as late ones do.
        var released = ReleasedHolds()
        if let call = subject.callNow {
            released = try await releaseHolds(
                accountID: account, callID: subjectID, call: call, version: subject.version, now: request.now, connection: connection, logger: logger)
        }
        let written = try await writeDeliveries(
            request, subject: subject, eventID: eventID, webhookRows: event.webhookRows, cache: cache, locks: locks, writes: &writes, connection: connection,
            logger: logger)
        let receipt = IngestReceipt(
            id: request.command.resourceID, eventID: eventID, kind: kind, subjectID: subjectID, receivedAt: request.now, deliveryIDs: written.deliveryIDs,
            changedFields: subject.change?.changedFields, version: subject.version)
        if let ended = subject.endedCall {
            try await writeEnd(ended, receipt: receipt, accountID: account, callID: subjectID, connection: connection, logger: logger)
        }
        try writes.receipts.remember(request, receipt: receipt)
        var late = written.lateDueTimes
        late.add(released.dueTimes)
        return Ingested(result: IngestResult(receipt: receipt, leased: written.leased, releasedHolds: released.count), lateDueTimes: late)
    }

    private enum SubjectAndEvent {
        /// Answered before, by its idempotency key or its call's end.
        case answered(IngestReceipt)
        case inserted(InsertedEvent)
    }

    private static func insertSubjectAndEvent(
        _ request: IngestRequest, receipts: inout IdempotencyReceipts, connection: PostgresConnection, logger: Logger
    ) async throws -> SubjectAndEvent {
        if let receipt = try receipts.receipt(for: request) { return .answered(receipt) }
        var request = request
        var write = try await writeSubject(request, connection: connection, logger: logger)
        if case .becomes(let command) = write {
            request.command = command
            write = try await writeSubject(request, connection: connection, logger: logger)
        }
        switch write {
        case .written(let written):
            return .inserted(
                try await insertEvent(request, subject: written, eventID: Identifier.make("evt", at: request.now), connection: connection, logger: logger))
        case .reportedBefore(let receipt):
            try receipts.remember(request, receipt: receipt)
            return .answered(receipt)
        case .becomes: throw StoreError.conflict("the call's end was reported twice at once")
        }
    }

    /// Inserts the event (and a beginning's call, `IngestedSubject.newCall`, with the statement a
    /// run of beginnings takes) and answers it with the account's enabled webhooks, which its
    /// deliveries go to, and the subject as inserted: one round trip for what would take two to four.
    private static func insertEvent(
        _ request: IngestRequest, subject: IngestedSubject, eventID: String, connection: PostgresConnection, logger: Logger
    ) async throws -> InsertedEvent {
        guard let call = subject.newCall else {
            let rows = try await connection.rows(
                HotSQL.InsertEventReadingWebhooks.self, binding: eventID, request.accountID, request.command.kind.rawValue, request.command.subjectID,
                subject.storedText ?? subject.values.jsonText, request.now.millisecondsSince1970, subject.version, request.routing.sourceID,
                request.traceParent, request.command.kind.subject.rawValue, logger: logger)
            return InsertedEvent(command: request.command, eventID: eventID, webhookRows: rows, subject: subject)
        }
        let beginning = NewBeginning(request: request, eventID: eventID, subject: subject, call: call)
        return try await insert([beginning], connection: connection, logger: logger)[0].event()
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
        let stored = try callValues(row)
        return Call(
            id: id, accountID: account, beginValues: stored.begin, endValues: stored.end, laterValues: stored.later, version: try row.column("version"),
            startedAt: try row.time("started_at"), endedAt: try row.optionalTime("ended_at"),
            routing: RoutingContext(campaignID: try row.column("campaign_id"), locationID: try row.column("location_id"), sourceID: try row.column("source_id")),
            captured: try await captured(accountID: account, subjectKind: SubjectKind.call.rawValue, subjectID: id, connection: connection, logger: logger))
    }

    static func lead(_ row: PostgresRandomAccessRow, connection: PostgresConnection, logger: Logger) async throws -> Lead {
        let id: String = try row.column("id")
        let account: String = try row.column("account_id")
        return Lead(
            id: id, accountID: account, values: try object(try row.column("token_values")), createdAt: try row.time("created_at"),
            messageCount: try row.column("message_count"), version: try row.column("version"),
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
