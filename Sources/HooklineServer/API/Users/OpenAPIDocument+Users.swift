import HooklineCore
import HooklineStore

/// The people who sign in to the web UI, in the API document.
extension OpenAPIDocument {
    /// Its routes, in the order the document lists them.
    static let userOperations: [Operation] = [
        Operation(method: "POST", path: "/v1/users", summary: "Add a person who signs in to the web UI (password stored with bcrypt)", security: .account,
                  requestBody: "UserInput", responses: [(201, "Created", "User")], errors: [409, 422]),
        Operation(method: "GET", path: "/v1/users", summary: "List the account's users", security: .account, responses: [(200, "Users", "UserList")]),
        Operation(method: "DELETE", path: "/v1/users/{id}", summary: "Remove a user and end their sessions", security: .account,
                  responses: [(204, "Deleted", nil)], errors: [404]),
    ]
}
