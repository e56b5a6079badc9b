import HooklineCore
import HooklineStore
import Hummingbird

/// The account's users, for its admins: list, add (by the same rules as `POST /v1/users`), remove.
struct UserPages {
    let users: UserDirectory
    let pages: Pages

    func addRoutes(to group: RouterGroup<HooklineRequestContext>) {
        group.get("users", use: list)
        group.post("users", use: create)
        group.post("users/{id}/delete", use: delete)
    }

    @Sendable func list(request: Request, context: HooklineRequestContext) async throws -> Response {
        try await page(context: context, form: UsersView.Entered(), errors: [:], status: .ok)
    }

    @Sendable func create(request: Request, context: HooklineRequestContext) async throws -> Response {
        let admin = try requireAdmin(context)
        let form = try await FormFields.of(request, context: context)
        let role = form["role"] ?? User.Role.member.rawValue
        let entered = UsersView.Entered(email: form["email"] ?? "", admin: role == User.Role.admin.rawValue)
        do {
            _ = try await users.create(accountID: admin.accountID, email: form["email"] ?? "", password: form["password"] ?? "", role: role)
        } catch let error as FieldError {
            return try await page(context: context, form: entered, errors: [error.field: error.message], status: .unprocessableContent)
        } catch StoreError.conflict(let message) {
            return try await page(context: context, form: entered, errors: ["email": message], status: .conflict)
        }
        return Pages.redirect(to: "/users")
    }

    @Sendable func delete(request: Request, context: HooklineRequestContext) async throws -> Response {
        let admin = try requireAdmin(context)
        let id = try context.parameters.require("id")
        guard id != admin.id else { throw APIError(.badRequest, "you cannot remove yourself; ask another admin") }
        guard try await users.store.deleteUser(id: id, accountID: admin.accountID) else { throw StoreError.notFound("user \(id) not found") }
        return Pages.redirect(to: "/users")
    }

    private func page(context: HooklineRequestContext, form: UsersView.Entered, errors: FormErrors, status: HTTPResponse.Status) async throws -> Response {
        let admin = try requireAdmin(context)
        let list = try await users.store.users(accountID: admin.accountID).map { user in
            UsersView.Row(id: user.id, email: user.email, role: user.role.rawValue, createdAt: Pages.time(user.createdAt), isSelf: user.id == admin.id)
        }
        return pages.render(.users, title: "Users", context: context, status: status, UsersView(users: list, form: form, errors: errors))
    }

    private func requireAdmin(_ context: HooklineRequestContext) throws -> User {
        guard let user = context.user, user.role == .admin else { throw APIError(.forbidden, "only an admin of the account manages its users") }
        return user
    }
}
