import Hummingbird
import HooklineCore
import HooklineDelivery
import HooklineStore

/// The outbox as users see it: what was sent where, every attempt, and replay.
struct DeliveriesController {
    let store: any Store
    let wakeup: Wakeup

    func addRoutes(to group: RouterGroup<HooklineRequestContext>) {
        group.get(use: list)
        group.get("{id}", use: show)
        group.post("{id}/replay", use: replay)
    }

    @Sendable func list(request: Request, context: HooklineRequestContext) async throws -> JSONResponse {
        let account = try context.requireAccount()
        let query = request.uri.queryParameters
        var filter = DeliveryFilter()
        filter.webhookID = query["webhook_id"].map(String.init)
        if let callID = query["call_id"], let leadID = query["lead_id"], callID != leadID {
            throw FieldError("lead_id", "give call_id or lead_id, not both", kind: .unusable)
        }
        filter.subjectID = (query["call_id"] ?? query["lead_id"]).map(String.init)
        if let status = query["status"] {
            guard let value = DeliveryStatus(rawValue: String(status)) else {
                throw APIError(
                    .badRequest, "must be one of \(DeliveryStatus.allCases.map(\.rawValue).joined(separator: ", "))", field: "status")
            }
            filter.status = value
        }
        let page = try await store.deliveries(accountID: account.id, filter: filter, page: try PageRequest(query: request))
        return JSONResponse(page.json(\.json))
    }

    @Sendable func show(request: Request, context: HooklineRequestContext) async throws -> JSONResponse {
        let account = try context.requireAccount()
        let id = try context.parameters.require("id")
        guard let delivery = try await store.delivery(id: id, accountID: account.id) else {
            throw StoreError.notFound("delivery \(id) not found")
        }
        var json = delivery.json
        json["attempts"] = .array(try await store.attempts(deliveryID: id).map { .object($0.json) })
        return JSONResponse(json)
    }

    @Sendable func replay(request: Request, context: HooklineRequestContext) async throws -> JSONResponse {
        let account = try context.requireAccount()
        let id = try context.parameters.require("id")
        guard let delivery = try await store.replayDelivery(id: id, accountID: account.id, now: .now) else {
            throw StoreError.notFound("delivery \(id) not found")
        }
        wakeup.signal()
        return JSONResponse(status: .accepted, delivery.json)
    }
}
