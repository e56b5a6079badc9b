import Hummingbird
import HooklineCore
import HooklineStore

/// The calling account itself (`/v1/account`): what it is, its rules for webhooks that stay
/// down, and when its notification channels are alerted.
struct OwnAccountController {
    let store: any Store

    func addRoutes(to group: RouterGroup<HooklineRequestContext>) {
        group.get(use: show)
        group.patch(use: update)
    }

    @Sendable func show(request: Request, context: HooklineRequestContext) async throws -> JSONResponse {
        let account = try context.requireAccount()
        return JSONResponse(account.json(autoDisable: try await store.autoDisable(accountID: account.id), alerts: try await store.alertPolicy(accountID: account.id)))
    }

    /// `{"auto_disable_days": N, "alerts": {...}}`, either or both: days from 0 (never) to 365;
    /// the alert rules field by field, what is left out kept.
    @Sendable func update(request: Request, context: HooklineRequestContext) async throws -> JSONResponse {
        let account = try context.requireAccount()
        let (body, _) = try await request.jsonBody(context: context)
        let fields = try ObjectReader(body, fields: ["auto_disable_days", "alerts"], subject: "an account's settings")
        var rule = try await store.autoDisable(accountID: account.id)
        var alerts = try await store.alertPolicy(accountID: account.id)
        if let days = fields.object["auto_disable_days"] { rule = try AutoDisable.read(days) }
        if let given = fields.object["alerts"] { alerts = try AlertPolicy.read(given, base: alerts) }
        if fields.object.isEmpty { throw FieldError("auto_disable_days", "is required, or alerts: the body names nothing to change") }
        try await store.setAutoDisable(rule, accountID: account.id)
        try await store.setAlertPolicy(alerts, accountID: account.id)
        return JSONResponse(account.json(autoDisable: rule, alerts: alerts))
    }
}
