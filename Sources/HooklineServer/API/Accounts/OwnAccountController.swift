import Hummingbird
import HooklineCore
import HooklineStore

/// The calling account itself (`/v1/account`): what it is, and its rules for webhooks that stay
/// down.
struct OwnAccountController {
    let store: any Store

    func addRoutes(to group: RouterGroup<HooklineRequestContext>) {
        group.get(use: show)
        group.patch(use: update)
    }

    @Sendable func show(request: Request, context: HooklineRequestContext) async throws -> JSONResponse {
        let account = try context.requireAccount()
        return JSONResponse(account.json(autoDisable: try await store.autoDisable(accountID: account.id)))
    }

    /// `{"auto_disable_days": N}`: 0 to 365, 0 for never.
    @Sendable func update(request: Request, context: HooklineRequestContext) async throws -> JSONResponse {
        let account = try context.requireAccount()
        let (body, _) = try await request.jsonBody(context: context)
        let rule = try ObjectReader(body, fields: ["auto_disable_days"], subject: "an account's settings").required("auto_disable_days") { (value) throws(FieldError) in try AutoDisable.read(value) }
        try await store.setAutoDisable(rule, accountID: account.id)
        return JSONResponse(account.json(autoDisable: rule))
    }
}
