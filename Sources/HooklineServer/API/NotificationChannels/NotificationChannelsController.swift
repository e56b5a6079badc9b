import Hummingbird
import HooklineCore
import HooklineDelivery
import HooklineStore

/// The calling account's notification channels (`/v1/notification-channels`): where alerts about
/// its webhooks go. Each is a webhook of the account carrying a channel preset, so its alerts use
/// the delivery queue; the webhooks routes neither list nor change them.
struct NotificationChannelsController {
    let store: any Store
    let wakeup: Wakeup
    let channels: NotificationChannels

    func addRoutes(to group: RouterGroup<HooklineRequestContext>) {
        group.post(use: create)
        group.get(use: list)
        group.get("{id}", use: show)
        group.patch("{id}", use: update)
        group.delete("{id}", use: delete)
        group.post("{id}/rotate-secret", use: rotateSecret)
        group.post("{id}/test", use: test)
    }

    @Sendable func create(request: Request, context: HooklineRequestContext) async throws -> JSONResponse {
        let account = try context.requireAccount()
        let (body, _) = try await request.jsonBody(context: context)
        let channel = try await channels.create(try ChannelInput.settings(body, base: nil), accountID: account.id)
        return JSONResponse(status: .created, channel.channelJSONRevealingSecret)
    }

    @Sendable func list(request: Request, context: HooklineRequestContext) async throws -> JSONResponse {
        let account = try context.requireAccount()
        return JSONResponse(listing: try await channels.list(accountID: account.id).map(\.channelJSON))
    }

    @Sendable func show(request: Request, context: HooklineRequestContext) async throws -> JSONResponse {
        JSONResponse(try await find(context).channelJSON)
    }

    @Sendable func update(request: Request, context: HooklineRequestContext) async throws -> JSONResponse {
        var channel = try await find(context)
        let (body, _) = try await request.jsonBody(context: context)
        channel.settings = try ChannelInput.settings(body, base: channel.settings)
        channel.updatedAt = .now
        try await store.updateWebhook(channel)
        if channel.settings.enabled { channel.disabledReason = nil }
        wakeup.signal()
        return JSONResponse(channel.channelJSON)
    }

    @Sendable func delete(request: Request, context: HooklineRequestContext) async throws -> Response {
        let channel = try await find(context)
        guard try await store.deleteWebhook(id: channel.id, accountID: channel.accountID) else { throw StoreError.notFound("notification channel \(channel.id) not found") }
        return Response(status: .noContent)
    }

    /// A new signing secret, shown once; the previous one keeps signing for 24 hours.
    @Sendable func rotateSecret(request: Request, context: HooklineRequestContext) async throws -> JSONResponse {
        let channel = try await find(context)
        guard let rotated = try await store.rotateSecret(webhookID: channel.id, accountID: channel.accountID, now: .now) else {
            throw StoreError.notFound("notification channel \(channel.id) not found")
        }
        return JSONResponse(rotated.channelJSONRevealingSecret)
    }

    /// Sends a test alert at once (`{"kind": "webhook.failing"}`, else the channel's first event)
    /// and answers with the exact request and the answer; nothing is stored.
    @Sendable func test(request: Request, context: HooklineRequestContext) async throws -> JSONResponse {
        let channel = try await find(context)
        var kind: EventKind?
        if let body = try await request.optionalJSONBody(context: context) {
            let fields = try ObjectReader(body, fields: ["kind"], subject: "a test")
            kind = try fields.required("kind", channel.settings.triggers.first) { (value) throws(FieldError) in
                guard let name = value.stringValue, let kind = EventKind(rawValue: name), EventKind.alerts.contains(kind) else {
                    throw FieldError("kind", "must be one of \(EventKind.alerts.map(\.rawValue).joined(separator: ", "))")
                }
                return kind
            }
        }
        let (sent, attempt) = await channels.sendTest(channel, kind: kind)
        var answer = attempt.json
        answer["kind"] = .string(sent.rawValue)
        answer["delivered"] = .bool(attempt.succeeded)
        return JSONResponse(answer)
    }

    private func find(_ context: HooklineRequestContext) async throws -> Webhook {
        let (account, id) = try context.requireAccountAndID()
        return try await channels.find(id: id, accountID: account.id)
    }
}
