import HooklineCore
import HooklineStore

/// Campaigns and locations in the API document.
extension OpenAPIDocument {
    static func placeSchemas(_ catalogue: TokenCatalogue) -> [(String, JSONValue)] {
        let locationFields: [(String, JSONValue)] = catalogue.tokens(in: .locationInfo).map { token in
            // The name is what a location is known by: it cannot be removed.
            token.name == "location_name"
                ? (token.name, ["type": ["string", "integer"], "minLength": 1, "description": .string(token.description)]) : (token.name, tokenSchema(token))
        }
        let campaignFields: [(String, JSONValue)] = [
            ("name", name), ("kind", ["type": "string", "enum": ["offline", "dni"]]),
            ("tags", ["type": "object", "additionalProperties": scalar, "description": "Names to text, number or boolean values"]),
            ("location", ["type": ["string", "null"], "minLength": 1]),
            ("tracking_numbers", ["type": "array", "items": ["type": "string", "pattern": "^[^0-9]*([0-9][^0-9]*){3,}$", "description": "A phone number: at least 3 digits"]]),
        ]
        return [
            ("LocationInput", object(locationFields, required: ["location_name"])),
            ("LocationPatch", object(locationFields)),
            ("Location", object([("id", string)] + catalogue.tokens(in: .locationInfo).map { ($0.name, tokenSchema($0)) } + [("created_at", timestamp), ("updated_at", timestamp)])),
            ("LocationList", object([("data", ["type": "array", "items": ref("Location")])])),
            ("CampaignInput", object(campaignFields, required: ["name", "kind"])),
            ("CampaignPatch", object(campaignFields)),
            ("Campaign", object([
                ("id", string), ("name", string), ("kind", string), ("tags", ["type": "object"]), ("location", nullableString),
                ("tracking_numbers", ["type": "array", "items": string]), ("created_at", timestamp), ("updated_at", timestamp),
            ])),
            ("CampaignList", object([("data", ["type": "array", "items": ref("Campaign")])])),
        ]
    }

    /// Its routes, in the order the document lists them.
    static let campaignOperations: [Operation] = [
        Operation(method: "POST", path: "/v1/campaigns", summary: "Create an offline or DNI campaign with its tracking numbers", security: .account,
                  requestBody: "CampaignInput", responses: [(201, "Created", "Campaign")], errors: [409]),
        Operation(method: "GET", path: "/v1/campaigns", summary: "List campaigns", security: .account, responses: [(200, "Campaigns", "CampaignList")]),
        Operation(method: "GET", path: "/v1/campaigns/{id}", summary: "A campaign", security: .account, responses: [(200, "Campaign", "Campaign")], errors: [404]),
        Operation(method: "PATCH", path: "/v1/campaigns/{id}", summary: "Change a campaign", security: .account,
                  requestBody: "CampaignPatch", responses: [(200, "Updated", "Campaign")], errors: [404, 409]),
        Operation(method: "DELETE", path: "/v1/campaigns/{id}", summary: "Delete a campaign no webhook is enabled on", security: .account,
                  responses: [(204, "Deleted", nil)], errors: [404, 409]),
    ]
}
