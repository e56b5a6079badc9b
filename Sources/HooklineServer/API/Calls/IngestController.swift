import Foundation
import Hummingbird
import HooklineCore
import HooklineDelivery
import HooklineStore

/// Where sources report calls, leads and messages. Each accepted event is stored with its
/// deliveries before the answer is sent.
struct IngestController {
    let store: any Store
    let ingestion: Ingestion
    let validator: TokenValidator
    let metrics: HooklineMetrics

    func addCallRoutes(to group: RouterGroup<HooklineRequestContext>) {
        group.post(use: beginCall)
        group.get(use: listCalls)
        group.get("{id}", use: showCall)
        group.post("{id}/end", use: endCall)
        group.patch("{id}", use: updateCall)
        group.get("{id}/events", use: callEvents)
    }

    func addLeadRoutes(to group: RouterGroup<HooklineRequestContext>) {
        group.post(use: createLead)
        group.get(use: listLeads)
        group.get("{id}", use: showLead)
        group.patch("{id}", use: updateLead)
        group.get("{id}/events", use: leadEvents)
    }

    func addMessageRoutes(to group: RouterGroup<HooklineRequestContext>) {
        group.post(use: addMessage)
    }

    @Sendable func beginCall(request: Request, context: HooklineRequestContext) async throws -> JSONResponse {
        try await ingest(request, context, status: .created) { body in
            var values = try validator.validate(body, for: .callBegin, extraKeys: Self.routingKeys)
            let callID = try identifier(values, "callid")
            values["callid"] = .string(callID)
            return .beginCall(callID: callID, values: values)
        }
    }

    @Sendable func endCall(request: Request, context: HooklineRequestContext) async throws -> JSONResponse {
        let callID = try context.parameters.require("id")
        return try await ingest(request, context, status: .ok) { body in
            var values = try validator.validate(body, for: .callEnd)
            if let sent = values["callid"], sent != .string(callID) {
                throw FieldError("callid", "differs from the call id in the path", kind: .unusable)
            }
            values["callid"] = nil
            return .endCall(callID: callID, values: values)
        }
    }

    @Sendable func createLead(request: Request, context: HooklineRequestContext) async throws -> JSONResponse {
        try await ingest(request, context, status: .created) { body in
            var values = try validator.validate(body, for: .leadCreated, extraKeys: Self.routingKeys)
            let leadID = try identifier(values, "lead_id")
            values["lead_id"] = .string(leadID)
            return .createLead(leadID: leadID, values: values)
        }
    }

    @Sendable func addMessage(request: Request, context: HooklineRequestContext) async throws -> JSONResponse {
        try await ingest(request, context, status: .created) { body in
            var values = try validator.validate(body, for: .leadMessage, extraKeys: ["lead_id"])
            guard values["lead_id"] != nil, let leadID = try? identifier(values, "lead_id") else {
                throw FieldError("lead_id", "is required: the lead this message belongs to (\(SubjectKind.idRule))")
            }
            let messageID = try identifier(values, "message_id")
            values["message_id"] = .string(messageID)
            return .addMessage(leadID: leadID, messageID: messageID, values: values)
        }
    }

    @Sendable func listCalls(request: Request, context: HooklineRequestContext) async throws -> JSONResponse {
        let account = try context.requireAccount()
        return JSONResponse(try await store.calls(accountID: account.id, page: try PageRequest(query: request)).json(\.json))
    }

    @Sendable func showCall(request: Request, context: HooklineRequestContext) async throws -> JSONResponse {
        let (account, id) = try context.requireAccountAndID()
        return JSONResponse(try found(try await store.call(id: id, accountID: account.id), "call", id).json)
    }

    @Sendable func listLeads(request: Request, context: HooklineRequestContext) async throws -> JSONResponse {
        let account = try context.requireAccount()
        return JSONResponse(try await store.leads(accountID: account.id, page: try PageRequest(query: request)).json(\.json))
    }

    @Sendable func showLead(request: Request, context: HooklineRequestContext) async throws -> JSONResponse {
        let (account, id) = try context.requireAccountAndID()
        return JSONResponse(try found(try await store.lead(id: id, accountID: account.id), "lead", id).json)
    }

    /// What a source may name besides tokens: the campaign and location of a call or lead.
    static let routingKeys: Set<String> = ["campaign", "location"]

    /// The campaign and location a body names, checked against the account; taken out of the values.
    private func routing(_ command: inout IngestCommand, accountID: String) async throws -> RoutingContext {
        var values: JSONObject
        switch command {
        case .beginCall(_, let given), .createLead(_, let given): values = given
        default: return RoutingContext()
        }
        var routing = RoutingContext()
        if let value = values["campaign"] {
            guard let id = value.stringValue, try await store.campaign(id: id, accountID: accountID) != nil else {
                throw FieldError("campaign", "no campaign '\(Echo.quoted(value.stringValue ?? value.jsonText))' in this account", kind: .unusable)
            }
            routing.campaignID = id
        }
        if let value = values["location"] {
            guard let id = value.stringValue, try await store.location(id: id, accountID: accountID) != nil else {
                throw FieldError("location", "no location '\(Echo.quoted(value.stringValue ?? value.jsonText))' in this account", kind: .unusable)
            }
            routing.locationID = id
        }
        values["campaign"] = nil
        values["location"] = nil
        switch command {
        case .beginCall(let id, _): command = .beginCall(callID: id, values: values)
        case .createLead(let id, _): command = .createLead(leadID: id, values: values)
        default: break
        }
        return routing
    }

    /// The id a source gave, or a new one.
    func identifier(_ values: JSONObject, _ field: String) throws(FieldError) -> String {
        guard let value = values[field], !value.isNull else { return UUID().uuidString.lowercased() }
        guard let text = SubjectKind.id(value) else { throw FieldError(field, "must be \(SubjectKind.idRule)") }
        return text
    }

    func ingest(
        _ request: Request, _ context: HooklineRequestContext, status: HTTPResponse.Status,
        command: (JSONValue) async throws -> IngestCommand
    ) async throws -> JSONResponse {
        let account = try context.requireAccount()
        let (body, bytes) = try await request.jsonBody(context: context)
        var ingestCommand = try await command(body)
        let routing = try await routing(&ingestCommand, accountID: account.id)
        var idempotencyKey: IdempotencyKey?
        if let key = request.headers[.init("Idempotency-Key")!] {
            guard !key.isEmpty, key.utf8.count <= 255, key.unicodeScalars.allSatisfy({ $0.isASCII && $0.value >= 0x21 && $0.value < 0x7F }) else {
                throw APIError(.badRequest, "must be 1 to 255 visible ASCII characters", field: "Idempotency-Key")
            }
            let fingerprint = APIKey.sha256Hex(Array("\(request.method) \(request.uri.path)\n".utf8) + Array(bytes.readableBytesView))
            idempotencyKey = IdempotencyKey(key: key, fingerprint: fingerprint)
        }
        let receipt = try await ingestion.accept(
            IngestRequest(accountID: account.id, command: ingestCommand, idempotencyKey: idempotencyKey, routing: routing, now: .now))
        metrics.eventIngested(receipt.kind)
        return JSONResponse(status: status, receipt.json)
    }
}
