import Hummingbird
import HooklineCore
import HooklineStore

/// What is learnt of a call or lead after it was reported: `PATCH /v1/calls/{id}` and
/// `/v1/leads/{id}` take any catalogue token of it, checked as ingest checks it, and fire
/// `call.updated` or `lead.updated` when something changed; `…/events` is its timeline.
extension IngestController {
    @Sendable func updateCall(request: Request, context: HooklineRequestContext) async throws -> JSONResponse {
        let callID = try context.parameters.require("id")
        return try await ingest(request, context, status: .ok) { body in
            .updateCall(callID: callID, values: try Self.updateValues(body, kind: .callUpdated, idToken: "callid", id: callID, validator: validator))
        }
    }

    @Sendable func updateLead(request: Request, context: HooklineRequestContext) async throws -> JSONResponse {
        let leadID = try context.parameters.require("id")
        return try await ingest(request, context, status: .ok) { body in
            .updateLead(leadID: leadID, values: try Self.updateValues(body, kind: .leadUpdated, idToken: "lead_id", id: leadID, validator: validator))
        }
    }

    @Sendable func callEvents(request: Request, context: HooklineRequestContext) async throws -> JSONResponse {
        try await events(of: .call, context: context)
    }

    @Sendable func leadEvents(request: Request, context: HooklineRequestContext) async throws -> JSONResponse {
        try await events(of: .lead, context: context)
    }

    /// The most events a timeline answers: a call's life is a handful, a busy lead's a few hundred.
    static let timelineLimit = 500

    private func events(of subject: SubjectKind, context: HooklineRequestContext) async throws -> JSONResponse {
        let (account, id) = try context.requireAccountAndID()
        let exists: Bool =
            switch subject {
            case .call: try await store.call(id: id, accountID: account.id) != nil
            case .lead: try await store.lead(id: id, accountID: account.id) != nil
            case .webhook: false
            }
        guard exists else { throw APIError(.notFound, "no \(subject.rawValue) '\(Echo.quoted(id))' in this account") }
        let events = try await store.events(accountID: account.id, subject: subject, subjectID: id, limit: Self.timelineLimit)
        return JSONResponse(["data": .array(events.map { .object($0.json) })])
    }

    /// An update's tokens: at least one, each of the kind's categories; the id may be repeated but
    /// not changed.
    private static func updateValues(_ body: JSONValue, kind: EventKind, idToken: String, id: String, validator: TokenValidator) throws -> JSONObject {
        var values = try validator.validate(body, for: kind)
        if let sent = values[idToken] {
            guard sent == .string(id) || sent.integerValue.map({ String($0) }) == id else {
                throw FieldError(idToken, "differs from the id in the path; an id cannot change", kind: .unusable)
            }
            values[idToken] = nil
        }
        guard !values.isEmpty else { throw FieldError("body", "must name at least one token to change") }
        return values
    }
}
