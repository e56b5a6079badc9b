import GRDB
import HooklineCore

/// Ingest's writes to the call or lead an event is about: a new one with its routing and
/// enrichment (Core's `IngestRules`), or the one the event continues, changed as Core's
/// `CallValues` and `SubjectChange` say. The group commit is the only writer: what is read here
/// stays true until the transaction commits.
extension SQLiteStore {
    static func writeSubject(_ request: IngestRequest, db: Database) throws -> SubjectWrite {
        switch request.command {
        case .beginCall(let callID, let given): try beginCall(callID, given: given, request: request, db: db)
        case .endCall(let callID, let given, let laterAsUpdate): try endCall(callID, given: given, laterAsUpdate: laterAsUpdate, request: request, db: db)
        case .updateCall(let callID, let given): try updateCall(callID, given: given, request: request, db: db)
        case .convertCall(let callID, let conversionID, let given): try convertCall(callID, conversionID: conversionID, given: given, request: request, db: db)
        case .createLead(let leadID, let given): try createLead(leadID, given: given, request: request, db: db)
        case .updateLead(let leadID, let given): try updateLead(leadID, given: given, request: request, db: db)
        case .addMessage(let leadID, _, let given): try addMessage(leadID, given: given, request: request, db: db)
        case .alert(let alert): .written(.alert(alert))
        }
    }

    private static func beginCall(_ callID: String, given: JSONObject, request: IngestRequest, db: Database) throws -> SubjectWrite {
        let (account, now) = (request.accountID, request.now.millisecondsSince1970)
        let campaign: Campaign? =
            switch IngestRules.campaignLookup(request.routing, values: given) {
            case .id(let id): try Self.campaign(id: id, accountID: account, db: db)
            case .trackingNumber(let number): try Self.campaign(trackingNumber: number, accountID: account, db: db)
            case .none: nil
            }
        let routing = IngestRules.routing(request.routing, campaign: campaign)
        let location = try routing.locationID.flatMap { try Self.location(id: $0, accountID: account, db: db) }
        let calledBefore = try IngestRules.repeatCallerLookup(given).map { caller in
            try exists(db, "SELECT 1 FROM calls INDEXED BY calls_by_caller WHERE account_id = ? AND caller = ? LIMIT 1", [account, caller])
        } ?? false
        let values = IngestRules.beginValues(given, campaign: campaign, location: location, received: request.now, calledBefore: calledBefore)
        let text = values.jsonText
        try insertNew(
            "call \(callID)", db: db,
            sql: "INSERT INTO calls (account_id, id, begin_values, started_at, caller, campaign_id, location_id, source_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            arguments: [account, callID, text, now, IngestRules.caller(of: given), routing.campaignID, routing.locationID, routing.sourceID])
        return .written(IngestedSubject(values: values, routing: routing, storedText: text, version: 1))
    }

    private static func endCall(_ callID: String, given: JSONObject, laterAsUpdate: Bool, request: IngestRequest, db: Database) throws -> SubjectWrite {
        let call = try callRow(callID, accountID: request.accountID, db: db)
        if let receipt: String = call["end_receipt"] {
            return laterAsUpdate ? .becomes(.updateCall(callID: callID, values: given)) : .reportedBefore(try decode(IngestReceipt.self, receipt))
        }
        let ended = try callValues(call).ending(with: EventKind.callEnd.stamped(given, received: request.now))
        let version: Int = call["version"] + 1
        return .written(
            IngestedSubject(
                values: ended.event, routing: routing(of: call), storedText: nil, version: version, change: ended.change,
                endedCall: EndedCall(values: ended.values, endedAt: request.now, version: version)))
    }

    private static func updateCall(_ callID: String, given: JSONObject, request: IngestRequest, db: Database) throws -> SubjectWrite {
        let call = try callRow(callID, accountID: request.accountID, db: db)
        guard let updated = try callValues(call).updating(with: given, received: request.now) else {
            return .reportedBefore(.unchanged(request.command, now: request.now, version: call["version"]))
        }
        guard SubjectSize.fits(updated.values.current) else { throw StoreError.tooLarge(SubjectSize.message("call \(callID)")) }
        let version: Int = call["version"] + 1
        try db.run(
            sql: "UPDATE calls SET later_values = ?, version = ? WHERE account_id = ? AND id = ?",
            arguments: [updated.values.laterText, version, request.accountID, callID])
        return .written(IngestedSubject(values: updated.event, routing: routing(of: call), storedText: nil, version: version, change: updated.change, callNow: updated.values.current))
    }

    private static func convertCall(_ callID: String, conversionID: String, given: JSONObject, request: IngestRequest, db: Database) throws -> SubjectWrite {
        let call = try callRow(callID, accountID: request.accountID, db: db)
        let converted = try callValues(call).converting(with: given, received: request.now)
        guard SubjectSize.fits(converted.values.current) else { throw StoreError.tooLarge(SubjectSize.message("call \(callID)")) }
        try insertNew(
            "conversion \(conversionID)", db: db,
            sql: "INSERT INTO conversions (account_id, id, call_id, token_values, created_at) VALUES (?, ?, ?, ?, ?)",
            arguments: [request.accountID, conversionID, callID, given.jsonText, request.now.millisecondsSince1970])
        let version: Int = call["version"] + 1
        try db.run(
            sql: "UPDATE calls SET later_values = ?, version = ? WHERE account_id = ? AND id = ?",
            arguments: [converted.values.laterText, version, request.accountID, callID])
        return .written(IngestedSubject(values: converted.event, routing: routing(of: call), storedText: nil, version: version, callNow: converted.values.current))
    }

    private static func createLead(_ leadID: String, given: JSONObject, request: IngestRequest, db: Database) throws -> SubjectWrite {
        let account = request.accountID
        let campaign = try request.routing.campaignID.flatMap { try Self.campaign(id: $0, accountID: account, db: db) }
        let routing = IngestRules.routing(request.routing, campaign: campaign)
        let location = try routing.locationID.flatMap { try Self.location(id: $0, accountID: account, db: db) }
        let values = IngestRules.leadValues(given, campaign: campaign, location: location, received: request.now)
        let text = values.jsonText
        try insertNew(
            "lead \(leadID)", db: db,
            sql: "INSERT INTO leads (account_id, id, token_values, created_at, campaign_id, location_id, source_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
            arguments: [account, leadID, text, request.now.millisecondsSince1970, routing.campaignID, routing.locationID, routing.sourceID])
        return .written(IngestedSubject(values: values, routing: routing, storedText: text, version: 1))
    }

    private static func updateLead(_ leadID: String, given: JSONObject, request: IngestRequest, db: Database) throws -> SubjectWrite {
        let lead = try leadRow(leadID, accountID: request.accountID, db: db)
        guard let updated = try object(lead["token_values"]).updatingLead(with: given, received: request.now) else {
            return .reportedBefore(.unchanged(request.command, now: request.now, version: lead["version"]))
        }
        guard SubjectSize.fits(updated.values) else { throw StoreError.tooLarge(SubjectSize.message("lead \(leadID)")) }
        let version: Int = lead["version"] + 1
        try db.run(
            sql: "UPDATE leads SET token_values = ?, version = ?, updated_at = ? WHERE account_id = ? AND id = ?",
            arguments: [updated.values.jsonText, version, request.now.millisecondsSince1970, request.accountID, leadID])
        return .written(IngestedSubject(values: updated.event, routing: routing(of: lead), storedText: nil, version: version, change: updated.change))
    }

    private static func addMessage(_ leadID: String, given: JSONObject, request: IngestRequest, db: Database) throws -> SubjectWrite {
        let lead = try leadRow(leadID, accountID: request.accountID, db: db)
        let version: Int = lead["version"] + 1
        try db.run(
            sql: "UPDATE leads SET message_count = message_count + 1, version = ?, updated_at = ? WHERE account_id = ? AND id = ?",
            arguments: [version, request.now.millisecondsSince1970, request.accountID, leadID])
        let values = IngestRules.messageValues(lead: try object(lead["token_values"]), message: EventKind.leadMessage.stamped(given, received: request.now))
        return .written(IngestedSubject(values: values, routing: routing(of: lead), storedText: nil, version: version))
    }

    private static func callRow(_ callID: String, accountID: String, db: Database) throws -> Row {
        guard
            let call = try Row.cachedOne(
                db, sql: "SELECT begin_values, end_values, later_values, version, end_receipt, campaign_id, location_id, source_id FROM calls WHERE account_id = ? AND id = ?",
                arguments: [accountID, callID])
        else { throw StoreError.notFound("call \(callID) not found") }
        return call
    }

    private static func leadRow(_ leadID: String, accountID: String, db: Database) throws -> Row {
        guard
            let lead = try Row.cachedOne(
                db, sql: "SELECT token_values, version, campaign_id, location_id, source_id FROM leads WHERE account_id = ? AND id = ?", arguments: [accountID, leadID])
        else { throw StoreError.notFound("lead \(leadID) not found") }
        return lead
    }

    static func callValues(_ row: Row) throws -> CallValues {
        CallValues(
            begin: try object(row["begin_values"]), end: try (row["end_values"] as String?).map(object),
            later: try (row["later_values"] as String?).map(object) ?? JSONObject())
    }

    private static func routing(of row: Row) -> RoutingContext {
        RoutingContext(campaignID: row["campaign_id"], locationID: row["location_id"], sourceID: row["source_id"])
    }
}
