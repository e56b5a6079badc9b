import Hummingbird
import HooklineCore
import HooklineDelivery
import HooklineStore

/// Webhooks of the calling account.
struct WebhooksController {
    let store: any Store
    let wakeup: Wakeup

    func addRoutes(to group: RouterGroup<HooklineRequestContext>) {
        group.post(use: create)
        group.get(use: list)
        group.get("{id}", use: show)
        group.patch("{id}", use: update)
        group.delete("{id}", use: delete)
        group.post("{id}/rotate-secret", use: rotateSecret)
    }

    /// A new signing secret, shown once; the previous one keeps signing for 24 hours.
    @Sendable func rotateSecret(request: Request, context: HooklineRequestContext) async throws -> JSONResponse {
        let account = try context.requireAccount()
        let id = try context.parameters.require("id")
        guard let webhook = try await store.rotateSecret(webhookID: id, accountID: account.id, now: .now) else {
            throw StoreError.notFound("webhook \(id) not found")
        }
        return JSONResponse(webhook.jsonRevealingSecret)
    }

    @Sendable func create(request: Request, context: HooklineRequestContext) async throws -> JSONResponse {
        let account = try context.requireAccount()
        let (body, _) = try await request.jsonBody(context: context)
        let settings = try WebhookSettings(json: body)
        let now = Timestamp.now
        let webhook = Webhook(
            id: Identifier.make("wh", at: now), accountID: account.id, settings: settings, secrets: .generate(), createdAt: now, updatedAt: now)
        try await store.insertWebhook(webhook)
        return JSONResponse(status: .created, webhook.jsonRevealingSecret)
    }

    @Sendable func list(request: Request, context: HooklineRequestContext) async throws -> JSONResponse {
        let account = try context.requireAccount()
        return JSONResponse(["data": .array(try await store.webhooks(accountID: account.id).map { .object($0.json) })])
    }

    @Sendable func show(request: Request, context: HooklineRequestContext) async throws -> JSONResponse {
        JSONResponse(try await find(context).json)
    }

    @Sendable func update(request: Request, context: HooklineRequestContext) async throws -> JSONResponse {
        var webhook = try await find(context)
        let (body, _) = try await request.jsonBody(context: context)
        webhook.settings = try WebhookSettings(json: body, updating: webhook.settings)
        webhook.updatedAt = .now
        try await store.updateWebhook(webhook)
        if webhook.settings.enabled { webhook.disabledReason = nil }
        // Re-enabling a webhook makes its waiting deliveries due.
        wakeup.signal()
        return JSONResponse(webhook.json)
    }

    @Sendable func delete(request: Request, context: HooklineRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let id = try context.parameters.require("id")
        guard try await store.deleteWebhook(id: id, accountID: account.id) else { throw StoreError.notFound("webhook \(id) not found") }
        return Response(status: .noContent)
    }

    private func find(_ context: HooklineRequestContext) async throws -> Webhook {
        let account = try context.requireAccount()
        let id = try context.parameters.require("id")
        guard let webhook = try await store.webhook(id: id, accountID: account.id) else {
            throw StoreError.notFound("webhook \(id) not found")
        }
        return webhook
    }
}
