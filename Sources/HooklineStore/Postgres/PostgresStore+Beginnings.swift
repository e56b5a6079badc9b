import HooklineCore
import PostgresNIO

/// Calls begun together. In a burst most of a batch's ingests are beginnings; a statement each
/// would be a round trip per event while their transaction holds its lane. A batch's beginnings,
/// and the ends and updates of other calls between them, go in with one statement
/// (`HotSQL.InsertCallsAndEventsReadingWebhooks`, which a lone beginning takes as well), and each
/// sees what it would have seen alone.
extension PostgresStore {
    /// An event inserted with what it is about, before its deliveries are planned.
    struct InsertedEvent {
        /// As written: an end reported again with more may have become an update.
        var command: IngestCommand
        var eventID: String
        /// The account's enabled webhooks, as read with the insert.
        var webhookRows: [PostgresRandomAccessRow]
        var subject: IngestedSubject
    }

    /// The beginning at `index` of the batch was refused (its call exists): the batch runs
    /// again without it.
    struct BeginningRefused: Error {
        let index: Int
        let error: StoreError
    }

    /// A beginning of a batch, at `index`, with its call's id and the values given.
    struct Beginning {
        let index: Int
        let request: IngestRequest
        let callID: String
        let given: JSONObject
    }

    /// The beginnings from `start` (a beginning) on that may share a statement: each of another
    /// call, none with an idempotency key that has a receipt (stored, or answered by an ingest
    /// before it: the receipt answers instead of an insert). Ends, updates and conversions of
    /// calls between them are passed over: inserting a later call before them changes nothing
    /// they read, unless it is their own call, or they answer a key a later beginning has, either
    /// of which ends the run.
    static func beginnings(in batch: [IngestRequest], from start: Int, receipts: IdempotencyReceipts) -> [Beginning] {
        var begun: Set<String> = []
        var continued: Set<String> = []
        var keys: Set<IdempotencyReceipts.AccountKey> = []
        var run: [Beginning] = []
        for (index, request) in batch.enumerated().dropFirst(start) {
            let key = IdempotencyReceipts.AccountKey(request)
            defer { if let key { keys.insert(key) } }
            switch request.command {
            case .beginCall(let callID, let given):
                let call = request.accountID + "\u{1F}" + callID
                guard !receipts.answers(request), !(key.map(keys.contains) ?? false), !continued.contains(call), begun.insert(call).inserted else { return run }
                run.append(Beginning(index: index, request: request, callID: callID, given: given))
            case .endCall(let callID, _, _), .updateCall(let callID, _), .convertCall(let callID, _, _):
                guard !run.isEmpty else { return run }
                continued.insert(request.accountID + "\u{1F}" + callID)
            default:
                return run
            }
        }
        return run
    }

    /// Inserts `run`'s calls and events in its order, each beginning seeing the calls of those
    /// before it (whether its caller called before) as its own statement would have.
    static func begin(_ run: [Beginning], connection: PostgresConnection, logger: Logger) async throws -> [InsertedEvent] {
        var begun: [NewBeginning] = []
        for beginning in run {
            do {
                let (subject, call) = try await Self.beginning(
                    beginning.request, callID: beginning.callID, given: beginning.given, connection: connection, logger: logger)
                begun.append(NewBeginning(request: beginning.request, eventID: Identifier.make("evt", at: beginning.request.now), subject: subject, call: call))
            } catch let error as StoreError where error.refusesTheRequest {
                throw BeginningRefused(index: beginning.index, error: error)
            }
        }
        return try zip(run, try await insert(begun, connection: connection, logger: logger)).map { beginning, inserted in
            do {
                return try inserted.event()
            } catch let error as StoreError {
                throw BeginningRefused(index: beginning.index, error: error)
            }
        }
    }

    /// A beginning whose call and event are ready to insert.
    struct NewBeginning {
        let request: IngestRequest
        let eventID: String
        let subject: IngestedSubject
        let call: NewCall
    }

    /// A beginning as its statement inserted it.
    struct InsertedBeginning {
        let beginning: NewBeginning
        var inserted = false
        var calledBefore = false
        /// The account's enabled webhooks.
        var webhookRows: [PostgresRandomAccessRow] = []

        /// The event, or the refusal of a call that already exists.
        func event() throws -> InsertedEvent {
            let (request, call) = (beginning.request, beginning.call)
            let subject = try beginning.subject.begun(callID: request.command.subjectID, call: call, inserted: inserted, calledBefore: calledBefore)
            return InsertedEvent(command: request.command, eventID: beginning.eventID, webhookRows: webhookRows, subject: subject)
        }
    }

    /// Inserts calls and their events in one statement (`HotSQL.InsertCallsAndEventsReadingWebhooks`),
    /// a lone beginning as well as a run's.
    static func insert(_ begun: [NewBeginning], connection: PostgresConnection, logger: Logger) async throws -> [InsertedBeginning] {
        let requests = begun.map(\.request)
        let calls = begun.map(\.call)
        let columns = HotSQL.InsertCallsAndEventsReadingWebhooks.Columns(
            eventIDs: begun.map(\.eventID), accountIDs: requests.map(\.accountID), kinds: requests.map(\.command.kind.rawValue),
            subjectIDs: requests.map(\.command.subjectID), tokenValues: begun.map { $0.subject.storedText ?? $0.subject.values.jsonText },
            createdAt: requests.map(\.now.millisecondsSince1970), versions: begun.map { Int64($0.subject.version) },
            sourceIDs: requests.map(\.routing.sourceID), traceParents: requests.map(\.traceParent), callers: calls.map(\.caller),
            campaignIDs: calls.map(\.campaignID), locationIDs: calls.map(\.locationID), valuesIfCalledBefore: calls.map { $0.valuesIfCalledBefore?.jsonText })
        let rows = try await connection.rows(HotSQL.InsertCallsAndEventsReadingWebhooks.self, binding: columns, logger: logger)
        var inserted = begun.map { InsertedBeginning(beginning: $0) }
        var webhooks: [String: [PostgresRandomAccessRow]] = [:]
        for row in rows {
            let offset = Int(try row.column("ord", as: Int64.self)) - 1
            inserted[offset].inserted = try row.column("call_inserted", as: Bool.self)
            inserted[offset].calledBefore = try row.column("called_before", as: Bool.self)
            if try row.column("id", as: String?.self) != nil { webhooks[begun[offset].request.accountID, default: []].append(row) }
        }
        for offset in inserted.indices { inserted[offset].webhookRows = webhooks[begun[offset].request.accountID] ?? [] }
        return inserted
    }
}

extension IngestedSubject {
    /// A beginning's subject once its statement inserted the call (or found it existing, which
    /// refuses the beginning): with the values for a caller who called before, if the statement
    /// saw an earlier call of theirs.
    func begun(callID: String, call: NewCall, inserted: Bool, calledBefore: Bool) throws -> IngestedSubject {
        guard inserted else { throw StoreError.conflict("call \(callID) already exists") }
        var subject = self
        if calledBefore, let values = call.valuesIfCalledBefore {
            subject.values = values
            subject.storedText = values.jsonText
        }
        subject.newCall = nil
        return subject
    }
}
