import Hummingbird
import HooklineCore
import HooklineStore

/// `POST /v1/conversions`: a sale or outcome recorded against a call, found by its id or by the
/// caller's number and a window (Core's `ConversionMatch`); it fires `call.converted`.
extension IngestController {
    func addConversionRoutes(to group: RouterGroup<HooklineRequestContext>) {
        group.post(use: convert)
    }

    @Sendable func convert(request: Request, context: HooklineRequestContext) async throws -> JSONResponse {
        let account = try context.requireAccount()
        return try await ingest(request, context, status: .created) { body in
            let input = try ConversionInput(body, validator: validator, now: .now)
            let callID: String
            switch input.call {
            case .id(let id): callID = id
            case .caller(let match): callID = try await call(matching: match, accountID: account.id)
            }
            return .convertCall(callID: callID, conversionID: input.conversionID, values: input.values)
        }
    }

    private func call(matching match: ConversionMatch, accountID: String) async throws -> String {
        switch ConversionMatch.pick(try await store.conversionCandidates(accountID: accountID, match: match)) {
        case .call(let id): return id
        case .none:
            throw APIError(.notFound, "no call from caller \(match.caller) began between \(match.from.iso8601) and \(match.to.iso8601)", field: "caller")
        case .ambiguous(let ids):
            throw APIError(
                .conflict, "calls \(ids.joined(separator: ", ")) from caller \(match.caller) began at the same latest time; send call_id", field: "caller")
        }
    }
}
