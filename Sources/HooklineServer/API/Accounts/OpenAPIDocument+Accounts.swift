import HooklineCore
import HooklineStore

/// Accounts, for the admin key, in the API document.
extension OpenAPIDocument {
    /// Its routes, in the order the document lists them.
    static let accountOperations: [Operation] = [
        Operation(method: "POST", path: "/v1/accounts", summary: "Create an account; its API key is shown only here", security: .admin,
                  requestBody: "AccountInput", responses: [(201, "Created", "AccountCreated")]),
        Operation(method: "GET", path: "/v1/accounts", summary: "List accounts", security: .admin, responses: [(200, "Accounts", "AccountList")]),
        Operation(method: "GET", path: "/v1/account", summary: "The calling account, with its settings", security: .account,
                  responses: [(200, "The account", "OwnAccount")]),
        Operation(method: "PATCH", path: "/v1/account",
                  summary: "Change the calling account's settings: a webhook failing without a success for auto_disable_days days is disabled (0: never); alerts: when channels are told",
                  security: .account, requestBody: "OwnAccountPatch", responses: [(200, "Changed", "OwnAccount")]),
    ]
}
