import HooklineCore
import HooklineStore

/// Accounts, for the admin key, in the API document.
extension OpenAPIDocument {
    /// Its routes, in the order the document lists them.
    static let accountOperations: [Operation] = [
        Operation(method: "POST", path: "/v1/accounts", summary: "Create an account; its API key is shown only here", security: .admin,
                  requestBody: "AccountInput", responses: [(201, "Created", "AccountCreated")]),
        Operation(method: "GET", path: "/v1/accounts", summary: "List accounts", security: .admin, responses: [(200, "Accounts", "AccountList")]),
    ]
}
