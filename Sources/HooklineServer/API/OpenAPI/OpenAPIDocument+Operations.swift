import HooklineCore
import HooklineStore

/// This document's own route, in the API document.
extension OpenAPIDocument {
    /// Its routes, in the order the document lists them.
    static let documentOperations: [Operation] = [
        Operation(method: "GET", path: "/openapi.json", summary: "This document", security: .none, responses: [(200, "OpenAPI 3.1 document", nil)]),
    ]
}
