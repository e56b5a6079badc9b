import HooklineCore
import HooklineStore

/// Locations, in the API document.
extension OpenAPIDocument {
    /// Its routes, in the order the document lists them.
    static let locationOperations: [Operation] = [
        Operation(method: "POST", path: "/v1/locations", summary: "Create a location with its location_info tokens", security: .account,
                  requestBody: "LocationInput", responses: [(201, "Created", "Location")]),
        Operation(method: "GET", path: "/v1/locations", summary: "List locations", security: .account, responses: [(200, "Locations", "LocationList")]),
        Operation(method: "GET", path: "/v1/locations/{id}", summary: "A location", security: .account, responses: [(200, "Location", "Location")], errors: [404]),
        Operation(method: "PATCH", path: "/v1/locations/{id}", summary: "Change a location's values (null removes one)", security: .account,
                  requestBody: "LocationPatch", responses: [(200, "Updated", "Location")], errors: [404]),
        Operation(method: "DELETE", path: "/v1/locations/{id}", summary: "Delete a location no campaign uses and no webhook is enabled on", security: .account,
                  responses: [(204, "Deleted", nil)], errors: [404, 409]),
    ]
}
