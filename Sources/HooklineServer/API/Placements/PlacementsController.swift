import Hummingbird
import HooklineCore
import HooklineStore

/// Where the account's webhooks are enabled: on a campaign, a location or a
/// call-treatment option, at the beginning or the end of the call. A treatment option has no id of
/// its own: it is a question and a response, given in the body or the query.
struct PlacementsController {
    let placements: WebhookPlacements

    func addPlaceRoutes(to group: RouterGroup<HooklineRequestContext>, place: @escaping @Sendable (String) -> PlaceReference) {
        group.post("{id}/webhooks") { request, context in
            let (account, id) = try context.requireAccountAndID()
            return try await create(request, context: context, at: place(id), accountID: account.id, bodyKeys: ["webhook_id", "moment"])
        }
        group.get("{id}/webhooks") { _, context in
            let (account, id) = try context.requireAccountAndID()
            return try await list(at: place(id), accountID: account.id)
        }
        group.delete("{id}/webhooks/{webhook_id}") { request, context in
            let (account, id) = try context.requireAccountAndID()
            return try await delete(request, context: context, at: place(id), accountID: account.id)
        }
    }

    func addTreatmentRoutes(to group: RouterGroup<HooklineRequestContext>) {
        group.post("webhooks") { request, context in
            let account = try context.requireAccount()
            let (body, _) = try await request.jsonBody(context: context)
            let option = TreatmentOption(
                question: try TreatmentOption.readText(body["question"], field: "question"), response: try TreatmentOption.readText(body["response"], field: "response"))
            return try await create(body, at: .treatment(option), accountID: account.id, bodyKeys: ["question", "response", "webhook_id", "moment"])
        }
        group.get("webhooks") { request, context in
            let account = try context.requireAccount()
            let query = request.uri.queryParameters
            let question = try query["question"].map { try TreatmentOption.readText(.string(String($0)), field: "question") }
            let response = try query["response"].map { try TreatmentOption.readText(.string(String($0)), field: "response") }
            let entries = try await placements.store.webhooks(accountID: account.id).flatMap { webhook in
                webhook.settings.scope.placements.compactMap { placement -> WebhookPlacements.Entry? in
                    guard let option = placement.place.treatment, question.map({ $0 == option.question }) ?? true,
                        response.map({ $0 == option.response }) ?? true
                    else { return nil }
                    return WebhookPlacements.Entry(webhook: webhook, placement: placement)
                }
            }
            return JSONResponse(listing: entries.map(\.json))
        }
        group.delete("webhooks/{webhook_id}") { request, context in
            let account = try context.requireAccount()
            let query = request.uri.queryParameters
            let option = TreatmentOption(
                question: try TreatmentOption.readText(query["question"].map { .string(String($0)) }, field: "question"),
                response: try TreatmentOption.readText(query["response"].map { .string(String($0)) }, field: "response"))
            return try await delete(request, context: context, at: .treatment(option), accountID: account.id)
        }
    }

    func addWebhookRoutes(to group: RouterGroup<HooklineRequestContext>) {
        group.get("{id}/placements") { _, context in
            let (account, id) = try context.requireAccountAndID()
            let webhook = try found(try await placements.store.webhook(id: id, accountID: account.id), "webhook", id)
            return JSONResponse([
                "scope": webhook.settings.scope.jsonName,
                "data": .array(webhook.settings.scope.placements.map { .object(WebhookPlacements.Entry(webhook: webhook, placement: $0).json) }),
            ])
        }
    }

    private func create(
        _ request: Request, context: HooklineRequestContext, at place: PlaceReference, accountID: String, bodyKeys: Set<String>
    ) async throws -> JSONResponse {
        try await placements.requirePlace(place, accountID: accountID)
        return try await create(try await request.jsonBody(context: context).value, at: place, accountID: accountID, bodyKeys: bodyKeys)
    }

    private func create(_ body: JSONValue, at place: PlaceReference, accountID: String, bodyKeys: Set<String>) async throws -> JSONResponse {
        let object = try ObjectReader(body, fields: bodyKeys, subject: "a placement").object
        guard object["webhook_id"]?.isNull ?? true || object["webhook_id"]?.stringValue != nil else { throw FieldError("webhook_id", "must be a webhook's id") }
        let entry = try await placements.place(webhookID: object["webhook_id"]?.stringValue, at: place, moment: object["moment"], accountID: accountID)
        return JSONResponse(status: .created, entry.json)
    }

    private func list(at place: PlaceReference, accountID: String) async throws -> JSONResponse {
        try await placements.requirePlace(place, accountID: accountID)
        return JSONResponse(listing: try await placements.entries(at: place, accountID: accountID).map(\.json))
    }

    private func delete(_ request: Request, context: HooklineRequestContext, at place: PlaceReference, accountID: String) async throws -> Response {
        try await placements.requirePlace(place, accountID: accountID)
        let webhookID = try context.parameters.require("webhook_id")
        var moment: CallMoment?
        if let given = request.uri.queryParameters["moment"] {
            guard let value = CallMoment(rawValue: String(given)) else { throw APIError(.badRequest, "must be beginning or end", field: "moment") }
            moment = value
        }
        guard try await placements.remove(webhookID: webhookID, at: place, moment: moment, accountID: accountID) else {
            throw StoreError.notFound("webhook \(webhookID) is not enabled here\(moment.map { " at the \($0.rawValue)" } ?? "")")
        }
        return Response(status: .noContent)
    }
}
