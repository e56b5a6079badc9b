import HooklineCore
import PostgresNIO

/// Calls begun together. In a burst most of a batch's ingests are beginnings, and each inserted
/// its call and event with a statement of its own: a round trip per event, while its transaction
/// holds its lane. A batch's beginnings, and the ends and updates of other calls between them,
/// now go in with one statement (`HotSQL.InsertCallsAndEventsReadingWebhooks`), which keeps what
/// each would have seen alone.
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
    /// call, none with an idempotency key (its receipt may answer instead of an insert). Ends,
    /// updates and conversions of calls between them are passed over: inserting a later call
    /// before them changes nothing they read, unless it is their own call, which ends the run.
    static func beginnings(in batch: [IngestRequest], from start: Int) -> [Beginning] {
        var begun: Set<String> = []
        var continued: Set<String> = []
        var run: [Beginning] = []
        for (index, request) in batch.enumerated().dropFirst(start) {
            switch request.command {
            case .beginCall(let callID, let given):
                let call = request.accountID + "\u{1F}" + callID
                guard request.idempotencyKey == nil, !continued.contains(call), begun.insert(call).inserted else { return run }
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
        var begun: [(request: IngestRequest, eventID: String, subject: IngestedSubject, call: NewCall)] = []
        for beginning in run {
            do {
                let (subject, call) = try await Self.beginning(
                    beginning.request, callID: beginning.callID, given: beginning.given, connection: connection, logger: logger)
                begun.append((beginning.request, Identifier.make("evt", at: beginning.request.now), subject, call))
            } catch let error as StoreError where error.refusesTheRequest {
                throw BeginningRefused(index: beginning.index, error: error)
            }
        }
        let given = begun.map { request, eventID, subject, call in
            JSONValue.object(JSONObject([
                ("event_id", .string(eventID)), ("account_id", .string(request.accountID)), ("kind", .string(request.command.kind.rawValue)),
                ("subject_id", .string(request.command.subjectID)), ("token_values", .string(subject.storedText ?? subject.values.jsonText)),
                ("created_at", .integer(request.now.millisecondsSince1970)), ("version", .integer(Int64(subject.version))),
                ("source_id", request.routing.sourceID.map(JSONValue.string) ?? .null), ("trace_parent", request.traceParent.map(JSONValue.string) ?? .null),
                ("caller", call.caller.map(JSONValue.string) ?? .null), ("campaign_id", call.campaignID.map(JSONValue.string) ?? .null),
                ("location_id", call.locationID.map(JSONValue.string) ?? .null),
                ("if_called_before", call.valuesIfCalledBefore.map { .string($0.jsonText) } ?? .null),
            ]))
        }
        let rows = try await connection.rows(HotSQL.InsertCallsAndEventsReadingWebhooks.self, binding: JSONValue.array(given).jsonText, logger: logger)
        var inserted = Array(repeating: false, count: begun.count)
        var calledBefore = Array(repeating: false, count: begun.count)
        var webhooks: [String: [PostgresRandomAccessRow]] = [:]
        for row in rows {
            let offset = Int(try row.column("ord", as: Int64.self)) - 1
            inserted[offset] = try row.column("call_inserted", as: Bool.self)
            calledBefore[offset] = try row.column("called_before", as: Bool.self)
            if try row.column("id", as: String?.self) != nil { webhooks[begun[offset].request.accountID, default: []].append(row) }
        }
        return try begun.enumerated().map { offset, beginning in
            let (request, eventID, subject, call) = beginning
            do {
                let written = try subject.begun(callID: request.command.subjectID, call: call, inserted: inserted[offset], calledBefore: calledBefore[offset])
                return InsertedEvent(command: request.command, eventID: eventID, webhookRows: webhooks[request.accountID] ?? [], subject: written)
            } catch let error as StoreError {
                throw BeginningRefused(index: run[offset].index, error: error)
            }
        }
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
