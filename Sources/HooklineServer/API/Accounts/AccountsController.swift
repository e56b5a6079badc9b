import Hummingbird
import HooklineCore
import HooklineStore

/// Accounts, managed with the admin key. An account's API key is shown once, at creation.
struct AccountsController {
    let store: any Store

    func addRoutes(to group: RouterGroup<HooklineRequestContext>) {
        group.post(use: create)
        group.get(use: list)
    }

    @Sendable func create(request: Request, context: HooklineRequestContext) async throws -> JSONResponse {
        let (body, _) = try await request.jsonBody(context: context)
        let name = try ObjectReader(body, fields: ["name"], subject: "an account").required("name") { (value) throws(FieldError) in try DisplayName.read(value) }
        let (account, key) = try await AccountDirectory(store: store).create(name: name)
        var json = account.json
        json["api_key"] = .string(key)
        return JSONResponse(status: .created, json)
    }

    @Sendable func list(request: Request, context: HooklineRequestContext) async throws -> JSONResponse {
        JSONResponse(listing: try await store.accounts().map(\.json))
    }
}
