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
}
