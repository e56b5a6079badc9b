import HooklineCore
import HooklineStore

/// The token catalogue, in the API document.
extension OpenAPIDocument {
    /// Its routes, in the order the document lists them.
    static let tokenOperations: [Operation] = [
        Operation(method: "GET", path: "/v1/tokens", summary: "The token catalogue, grouped by category", security: .account,
                  responses: [(200, "Catalogue", "TokenCatalogue")]),
    ]
}
