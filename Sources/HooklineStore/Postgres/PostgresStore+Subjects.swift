import HooklineCore
import PostgresNIO

/// Ingest's writes to the call or lead an event is about: a new one with its routing and
/// enrichment (Core's `IngestRules`), or the one the event continues, locked (`FOR UPDATE`) so
/// that its end, updates, conversions and messages from any process apply one after another, each
/// to what the one before left, as Core's `CallValues` and `SubjectChange` say.
extension PostgresStore {
    static func writeSubject(_ request: IngestRequest, connection: PostgresConnection, logger: Logger) async throws -> SubjectWrite {
        let subject = SubjectWrites(request: request, connection: connection, logger: logger)
        switch request.command {
        case .beginCall(let callID, let given):
            var (written, call) = try await subject.beginCall(callID, given: given)
            written.newCall = call
            return .written(written)
        case .endCall(let callID, let given, let laterAsUpdate): return try await subject.endCall(callID, given: given, laterAsUpdate: laterAsUpdate)
        case .updateCall(let callID, let given): return try await subject.updateCall(callID, given: given)
        case .convertCall(let callID, let conversionID, let given): return try await subject.convertCall(callID, conversionID: conversionID, given: given)
        case .createLead(let leadID, let given): return try await subject.createLead(leadID, given: given)
        case .updateLead(let leadID, let given): return try await subject.updateLead(leadID, given: given)
        case .addMessage(let leadID, _, let given): return try await subject.addMessage(leadID, given: given)
        case .alert(let alert): return .written(.alert(alert))
        }
    }

    /// A beginning's subject and the call's row, still to be inserted with its event.
    static func beginning(_ request: IngestRequest, callID: String, given: JSONObject, connection: PostgresConnection, logger: Logger) async throws -> (
        IngestedSubject, NewCall
    ) {
        try await SubjectWrites(request: request, connection: connection, logger: logger).beginCall(callID, given: given)
    }

    /// A call's end, written once its answer is known: `SubjectWrites.endCall` locked the call
    /// when it read it, and nothing between reads the row.
    static func writeEnd(_ ended: EndedCall, receipt: IngestReceipt, accountID: String, callID: String, connection: PostgresConnection, logger: Logger)
        async throws
    {
        try await connection.run(
            SubjectSQL.EndCall.self,
            binding: ended.values.end?.jsonText, ended.values.laterText, ended.endedAt.millisecondsSince1970, ended.version, try encode(receipt), accountID,
            callID, logger: logger)
    }

    static func callValues(_ row: PostgresRandomAccessRow) throws -> CallValues {
        CallValues(
            begin: try object(try row.column("begin_values")), end: try row.column("end_values", as: String?.self).map(object),
            later: try row.column("later_values", as: String?.self).map(object) ?? JSONObject())
    }
}

private struct SubjectWrites {
    let request: IngestRequest
    let connection: PostgresConnection
    let logger: Logger

    var account: String { request.accountID }
    var now: Int64 { request.now.millisecondsSince1970 }

    func beginCall(_ callID: String, given: JSONObject) async throws -> (IngestedSubject, NewCall) {
        let campaign: Campaign? =
            switch IngestRules.campaignLookup(request.routing, values: given) {
            case .id(let id): try await PostgresStore.campaign(id: id, accountID: account, connection: connection, logger: logger)
            case .trackingNumber(let number): try await PostgresStore.campaign(trackingNumber: number, accountID: account, connection: connection, logger: logger)
            case .none: nil
            }
        let routing = IngestRules.routing(request.routing, campaign: campaign)
        let location = try await routing.locationID.asyncFlatMap { try await PostgresStore.location(id: $0, accountID: account, connection: connection, logger: logger) }
        let values = IngestRules.beginValues(given, campaign: campaign, location: location, received: request.now, calledBefore: false)
        // The call's row goes in with its event, and the statement that inserts them looks for the
        // caller's earlier calls (`PostgresStore.insert(_:connection:logger:)`): one round trip for three.
        let ifCalledBefore = IngestRules.repeatCallerLookup(given).map { _ in
            IngestRules.beginValues(given, campaign: campaign, location: location, received: request.now, calledBefore: true)
        }
        return (
            IngestedSubject(values: values, routing: routing, storedText: values.jsonText, version: 1),
            NewCall(caller: IngestRules.caller(of: given), campaignID: routing.campaignID, locationID: routing.locationID, valuesIfCalledBefore: ifCalledBefore)
        )
    }

    func endCall(_ callID: String, given: JSONObject, laterAsUpdate: Bool) async throws -> SubjectWrite {
        // Locked: a call ends once, whichever process reports its end first.
        let call = try await callRow(callID)
        if let receipt = try call.column("end_receipt", as: String?.self) {
            return laterAsUpdate ? .becomes(.updateCall(callID: callID, values: given)) : .reportedBefore(try PostgresStore.decode(IngestReceipt.self, receipt))
        }
        let ended = try PostgresStore.callValues(call).ending(with: EventKind.callEnd.stamped(given, received: request.now))
        let version = try call.column("version", as: Int.self) + 1
        return .written(
            IngestedSubject(
                values: ended.event, routing: try routing(of: call), storedText: nil, version: version, change: ended.change,
                endedCall: EndedCall(values: ended.values, endedAt: request.now, version: version)))
    }

    func updateCall(_ callID: String, given: JSONObject) async throws -> SubjectWrite {
        let call = try await callRow(callID)
        let version = try call.column("version", as: Int.self)
        guard let updated = try PostgresStore.callValues(call).updating(with: given, received: request.now) else {
            return .reportedBefore(.unchanged(request.command, now: request.now, version: version))
        }
        guard SubjectSize.fits(updated.values.current) else { throw StoreError.tooLarge(SubjectSize.message("call \(callID)")) }
        try await connection.run(SubjectSQL.SetCallLaterValues.self, binding: updated.values.laterText, version + 1, account, callID, logger: logger)
        return .written(IngestedSubject(values: updated.event, routing: try routing(of: call), storedText: nil, version: version + 1, change: updated.change, callNow: updated.values.current))
    }

    func convertCall(_ callID: String, conversionID: String, given: JSONObject) async throws -> SubjectWrite {
        let call = try await callRow(callID)
        let converted = try PostgresStore.callValues(call).converting(with: given, received: request.now)
        guard SubjectSize.fits(converted.values.current) else { throw StoreError.tooLarge(SubjectSize.message("call \(callID)")) }
        let inserted = try await connection.rows(
            """
            INSERT INTO conversions (account_id, id, call_id, token_values, created_at) VALUES (\(account), \(conversionID), \(callID), \(given.jsonText), \(now))
            ON CONFLICT (account_id, id) DO NOTHING RETURNING id
            """, logger: logger)
        guard !inserted.isEmpty else { throw StoreError.conflict("conversion \(conversionID) already exists") }
        let version = try call.column("version", as: Int.self) + 1
        try await connection.run(SubjectSQL.SetCallLaterValues.self, binding: converted.values.laterText, version, account, callID, logger: logger)
        return .written(IngestedSubject(values: converted.event, routing: try routing(of: call), storedText: nil, version: version, callNow: converted.values.current))
    }

    func createLead(_ leadID: String, given: JSONObject) async throws -> SubjectWrite {
        let campaign = try await request.routing.campaignID.asyncFlatMap { try await PostgresStore.campaign(id: $0, accountID: account, connection: connection, logger: logger) }
        let routing = IngestRules.routing(request.routing, campaign: campaign)
        let location = try await routing.locationID.asyncFlatMap { try await PostgresStore.location(id: $0, accountID: account, connection: connection, logger: logger) }
        let values = IngestRules.leadValues(given, campaign: campaign, location: location, received: request.now)
        let text = values.jsonText
        let inserted = try await connection.rows(
            """
            INSERT INTO leads (account_id, id, token_values, created_at, campaign_id, location_id, source_id)
            VALUES (\(account), \(leadID), \(text), \(now), \(routing.campaignID), \(routing.locationID), \(routing.sourceID))
            ON CONFLICT (account_id, id) DO NOTHING RETURNING id
            """, logger: logger)
        guard !inserted.isEmpty else { throw StoreError.conflict("lead \(leadID) already exists") }
        return .written(IngestedSubject(values: values, routing: routing, storedText: text, version: 1))
    }

    func updateLead(_ leadID: String, given: JSONObject) async throws -> SubjectWrite {
        let lead = try await leadRow(leadID)
        let version = try lead.column("version", as: Int.self)
        guard let updated = try PostgresStore.object(try lead.column("token_values")).updatingLead(with: given, received: request.now) else {
            return .reportedBefore(.unchanged(request.command, now: request.now, version: version))
        }
        guard SubjectSize.fits(updated.values) else { throw StoreError.tooLarge(SubjectSize.message("lead \(leadID)")) }
        try await connection.run(SubjectSQL.UpdateLead.self, binding: updated.values.jsonText, version + 1, now, account, leadID, logger: logger)
        return .written(IngestedSubject(values: updated.event, routing: try routing(of: lead), storedText: nil, version: version + 1, change: updated.change))
    }

    func addMessage(_ leadID: String, given: JSONObject) async throws -> SubjectWrite {
        guard let lead = try await connection.rows(SubjectSQL.AddMessage.self, binding: now, account, leadID, logger: logger).first
        else { throw StoreError.notFound("lead \(leadID) not found") }
        let values = IngestRules.messageValues(lead: try PostgresStore.object(try lead.column("token_values")), message: EventKind.leadMessage.stamped(given, received: request.now))
        return .written(IngestedSubject(values: values, routing: try routing(of: lead), storedText: nil, version: try lead.column("version")))
    }

    private func callRow(_ callID: String) async throws -> PostgresRandomAccessRow {
        guard let call = try await connection.rows(SubjectSQL.CallForUpdate.self, binding: account, callID, logger: logger).first else {
            throw StoreError.notFound("call \(callID) not found")
        }
        return call
    }

    private func leadRow(_ leadID: String) async throws -> PostgresRandomAccessRow {
        guard let lead = try await connection.rows(SubjectSQL.LeadForUpdate.self, binding: account, leadID, logger: logger).first else {
            throw StoreError.notFound("lead \(leadID) not found")
        }
        return lead
    }

    private func routing(of row: PostgresRandomAccessRow) throws -> RoutingContext {
        RoutingContext(campaignID: try row.column("campaign_id"), locationID: try row.column("location_id"), sourceID: try row.column("source_id"))
    }
}
