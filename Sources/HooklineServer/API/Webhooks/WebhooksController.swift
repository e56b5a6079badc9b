import Hummingbird
import HooklineCore
import HooklineDelivery
import HooklineStore

/// Webhooks of the calling account.
struct WebhooksController {
    let store: any Store
    let wakeup: Wakeup
    let sender: HTTPSender

    func addRoutes(to group: RouterGroup<HooklineRequestContext>) {
        group.post(use: create)
        group.get(use: list)
        group.get("{id}", use: show)
        group.patch("{id}", use: update)
        group.delete("{id}", use: delete)
        group.post("{id}/rotate-secret", use: rotateSecret)
        group.post("{id}/test", use: test)
    }

    /// A new signing secret, shown once; the previous one keeps signing for 24 hours.
    @Sendable func rotateSecret(request: Request, context: HooklineRequestContext) async throws -> JSONResponse {
        let found = try await find(context)
        guard let webhook = try await store.rotateSecret(webhookID: found.id, accountID: found.accountID, now: .now) else {
            throw StoreError.notFound("webhook \(found.id) not found")
        }
        return JSONResponse(webhook.jsonRevealingSecret)
    }

    @Sendable func create(request: Request, context: HooklineRequestContext) async throws -> JSONResponse {
        let account = try context.requireAccount()
        let (body, _) = try await request.jsonBody(context: context)
        let webhook = try await WebhookInput(store: store).create(body, accountID: account.id)
        return JSONResponse(status: .created, webhook.jsonRevealingSecret)
    }

    @Sendable func list(request: Request, context: HooklineRequestContext) async throws -> JSONResponse {
        let account = try context.requireAccount()
        let order = try ListOrder(request.uri.queryParameters["sort"].map(String.init))
        let webhooks = try await store.webhooks(accountID: account.id).filter { !$0.isChannel }
        let queues = try await store.webhookQueues(accountID: account.id)
        let listed = order == .trouble ? WebhookTrouble.sorted(webhooks, queues: queues) : webhooks
        return JSONResponse(listing: listed.map { $0.json(queue: queues[$0.id] ?? .empty) })
    }

    @Sendable func show(request: Request, context: HooklineRequestContext) async throws -> JSONResponse {
        let webhook = try await find(context)
        return JSONResponse(webhook.json(queue: try await store.webhookQueue(id: webhook.id, accountID: webhook.accountID)))
    }

    /// `?sort=`: as created (the default), or by trouble, the most in need of attention first.
    enum ListOrder: String {
        case created, trouble

        init(_ text: String?) throws {
            guard let text else {
                self = .created
                return
            }
            guard let order = ListOrder(rawValue: text) else { throw APIError(.badRequest, "must be created or trouble", field: "sort") }
            self = order
        }
    }

    @Sendable func update(request: Request, context: HooklineRequestContext) async throws -> JSONResponse {
        var webhook = try await find(context)
        let (body, _) = try await request.jsonBody(context: context)
        webhook.settings = try await WebhookInput(store: store).settings(body, base: webhook.settings, accountID: webhook.accountID)
        webhook.updatedAt = .now
        try await store.updateWebhook(webhook)
        if webhook.settings.enabled { webhook.disabledReason = nil }
        // Re-enabling a webhook makes its waiting deliveries due.
        wakeup.signal()
        return JSONResponse(webhook.json)
    }

    @Sendable func delete(request: Request, context: HooklineRequestContext) async throws -> Response {
        let webhook = try await find(context)
        guard try await store.deleteWebhook(id: webhook.id, accountID: webhook.accountID) else { throw StoreError.notFound("webhook \(webhook.id) not found") }
        return Response(status: .noContent)
    }

    /// Sends the webhook at once, rendered with the catalogue's example values (or a given call or
    /// lead), and answers with the exact request and the answer; no delivery is created or changed.
    @Sendable func test(request: Request, context: HooklineRequestContext) async throws -> JSONResponse {
        let webhook = try await find(context)
        var options = JSONObject()
        if let body = try await request.optionalJSONBody(context: context) {
            options = try ObjectReader(body, fields: ["kind", "call_id", "lead_id"], subject: "a test").object
        }
        let trial = try await TrialValues(store: store).resolve(
            webhook: webhook, kind: options["kind"], callID: options["call_id"], leadID: options["lead_id"])
        let outcome = await sender.sendTrial(webhook, kind: trial.kind, values: trial.values, subjectID: trial.subjectID)
        var answer = outcome.attempt.json
        answer["kind"] = .string(trial.kind.rawValue)
        answer["delivered"] = .bool(outcome.attempt.succeeded)
        answer["captured"] = .object(outcome.captured)
        return JSONResponse(answer)
    }

    /// A notification channel is reached only at its own routes.
    private func find(_ context: HooklineRequestContext) async throws -> Webhook {
        let (account, id) = try context.requireAccountAndID()
        return try found(try await store.webhook(id: id, accountID: account.id).flatMap { $0.isChannel ? nil : $0 }, "webhook", id)
    }
}
