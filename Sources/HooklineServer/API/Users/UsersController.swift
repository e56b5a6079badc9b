import Hummingbird
import HooklineCore
import HooklineStore

/// The people who sign in to the web UI, managed with the account's API key.
struct UsersController {
    let users: UserDirectory

    func addRoutes(to group: RouterGroup<HooklineRequestContext>) {
        group.post(use: create)
        group.get(use: list)
        group.delete("{id}", use: delete)
    }

    @Sendable func create(request: Request, context: HooklineRequestContext) async throws -> JSONResponse {
        let account = try context.requireAccount()
        let (body, _) = try await request.jsonBody(context: context)
        let object = try ObjectReader(body, fields: ["email", "password", "role"], subject: "a user").object
        func text(_ field: String, default value: String? = nil) throws -> String {
            guard let given = object[field] else {
                if let value { return value }
                throw FieldError(field, "is required")
            }
            guard let text = given.stringValue else { throw FieldError(field, "must be a string") }
            return text
        }
        let user = try await users.create(
            accountID: account.id, email: try text("email"), password: try text("password"), role: try text("role", default: User.Role.member.rawValue))
        return JSONResponse(status: .created, user.json)
    }

    @Sendable func list(request: Request, context: HooklineRequestContext) async throws -> JSONResponse {
        JSONResponse(listing: try await users.store.users(accountID: try context.requireAccount().id).map(\.json))
    }

    @Sendable func delete(request: Request, context: HooklineRequestContext) async throws -> Response {
        let (account, id) = try context.requireAccountAndID()
        guard try await users.store.deleteUser(id: id, accountID: account.id) else { throw StoreError.notFound("user \(id) not found") }
        return Response(status: .noContent)
    }
}
