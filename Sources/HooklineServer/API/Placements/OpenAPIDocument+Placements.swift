import HooklineCore

/// Placements in the document: a webhook's `scope` and `placements`, and the routes that enable a
/// webhook on a campaign, a location or a call-treatment option.
extension OpenAPIDocument {
    private static func object(_ properties: [(String, JSONValue)], required: [String] = []) -> JSONValue {
        ["type": "object", "properties": .object(JSONObject(properties)), "required": .array(required.map(JSONValue.string)), "additionalProperties": false]
    }

    static let placeID: JSONValue = ["type": "string", "minLength": 1, "maxLength": 200, "pattern": .string(subjectIDPattern)]
    static let moment: JSONValue = ["type": "string", "enum": .array(CallMoment.allCases.map { .string($0.rawValue) })]
    /// `TreatmentOption.readText`: at most 200 characters, no control character, not only spaces.
    static let treatmentText: JSONValue = [
        "type": "string", "minLength": 1, "maxLength": 200,
        "pattern": "^[^\\u0000-\\u001F\\u007F-\\u009F]*[^\\s\\u0000-\\u001F\\u007F-\\u009F][^\\u0000-\\u001F\\u007F-\\u009F]*$",
    ]
    static var treatment: JSONValue { object([("question", treatmentText), ("response", treatmentText)], required: ["question", "response"]) }
    static var placeParts: [(String, JSONValue)] { [("campaign", placeID), ("location", placeID), ("treatment", treatment)] }

    /// The webhook's fields: `scope` (the old object of lists is still read) and `placements`.
    static var scopeFields: [(String, JSONValue)] {
        let ids: JSONValue = ["type": "array", "items": placeID]
        return [
            ("scope", ["oneOf": [
                ["type": "string", "enum": ["all", "placements"], "description": "all: every call and lead; placements: where the placements say"],
                object([("campaigns", ids), ("dni_campaigns", ids), ("locations", ids), ("treatments", ["type": "array", "items": treatment])]),
            ]]),
            ("placements", [
                "type": "array", "maxItems": .integer(Int64(WebhookScope.maximumPlacements)), "items": ref("Placement"),
                "description": "Where and when the webhook is sent: a call goes at the moments of the placements that match it",
            ]),
        ]
    }

    static var placementSchemas: [(String, JSONValue)] {
        let anyPlace: JSONValue = ["anyOf": [["required": ["campaign"]], ["required": ["location"]], ["required": ["treatment"]]]]
        var placement = object(placeParts + [("moment", moment)], required: ["moment"]).objectValue!
        placement["allOf"] = [anyPlace]
        var entry = object([("webhook_id", ["type": "string"]), ("webhook_name", ["type": "string"])] + placeParts + [("moment", moment)], required: ["webhook_id", "moment"]).objectValue!
        entry["allOf"] = [anyPlace]
        let webhookID: JSONValue = ["type": "string", "minLength": 1]
        return [
            ("Placement", .object(placement)),
            ("PlacementInput", object([("webhook_id", webhookID), ("moment", moment)], required: ["webhook_id", "moment"])),
            ("TreatmentPlacementInput", object(
                [("question", treatmentText), ("response", treatmentText), ("webhook_id", webhookID), ("moment", moment)],
                required: ["question", "response", "webhook_id"])),
            ("PlacementEntry", .object(entry)),
            ("PlacementEntryList", object([("data", ["type": "array", "items": ref("PlacementEntry")])], required: ["data"])),
            ("WebhookPlacementList", object([("scope", ["type": "string", "enum": ["all", "placements"]]), ("data", ["type": "array", "items": ref("PlacementEntry")])], required: ["scope", "data"])),
        ]
    }

    static var placementOperations: [Operation] {
        let momentQuery = query("moment", "Only the placement at this moment", moment)
        let treatmentQuery = { (required: Bool) -> [JSONValue] in
            ["question", "response"].map { name in
                ["name": .string(name), "in": "query", "required": .bool(required), "description": .string("The treatment option's \(name)"), "schema": treatmentText]
            }
        }
        var operations: [Operation] = []
        for (place, plural) in [("campaign", "campaigns"), ("location", "locations")] {
            operations += [
                Operation(method: "POST", path: "/v1/\(plural)/{id}/webhooks", summary: "Enable a webhook on the \(place) at the beginning or the end of the call",
                          security: .account, requestBody: "PlacementInput", responses: [(201, "Enabled", "PlacementEntry")], errors: [404]),
                Operation(method: "GET", path: "/v1/\(plural)/{id}/webhooks", summary: "The webhooks enabled on the \(place), with their moments",
                          security: .account, responses: [(200, "Placements", "PlacementEntryList")], errors: [404]),
                Operation(method: "DELETE", path: "/v1/\(plural)/{id}/webhooks/{webhook_id}",
                          summary: "Remove a webhook from the \(place) (at one moment with ?moment=); never widens the webhook",
                          security: .account, parameters: [momentQuery], responses: [(204, "Removed", nil)], errors: [400, 404]),
            ]
        }
        return operations + [
            Operation(method: "POST", path: "/v1/treatment-options/webhooks",
                      summary: "Enable a webhook on a call-treatment option (a question and the response pressed), at the end of the call",
                      security: .account, requestBody: "TreatmentPlacementInput", responses: [(201, "Enabled", "PlacementEntry")]),
            Operation(method: "GET", path: "/v1/treatment-options/webhooks", summary: "The webhooks enabled on treatment options",
                      security: .account, parameters: treatmentQuery(false), responses: [(200, "Placements", "PlacementEntryList")], errors: [400]),
            Operation(method: "DELETE", path: "/v1/treatment-options/webhooks/{webhook_id}", summary: "Remove a webhook from a treatment option",
                      security: .account, parameters: treatmentQuery(true) + [momentQuery], responses: [(204, "Removed", nil)], errors: [400, 404]),
            Operation(method: "GET", path: "/v1/webhooks/{id}/placements", summary: "Where a webhook is enabled: every call, or its placements",
                      security: .account, responses: [(200, "Placements", "WebhookPlacementList")], errors: [404]),
        ]
    }
}
