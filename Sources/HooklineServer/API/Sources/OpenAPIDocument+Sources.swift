import HooklineCore
import HooklineStore

/// The sources (inbound webhooks of providers) in the API document.
extension OpenAPIDocument {
    static var sourceSchemas: [(String, JSONValue)] {
        let optionText: JSONValue = ["type": "string", "minLength": 1, "maxLength": 200]
        let sourceOptions: JSONValue = [
            "type": "object",
            "description": """
                roistat.crm: user and password (the token is md5(user + password)); envybox: key; roistat.call: none; \
                json: example (the tracker's JSON as a string), mapping (JSON path to token), id_path, event_path and events \
                (the event field's values to event kinds, "*" for any other value)
                """,
            "properties": [
                "user": optionText, "password": optionText, "key": optionText, "example": ["type": "string", "minLength": 1],
                "mapping": ["type": "object", "additionalProperties": string], "id_path": string, "event_path": nullableString,
                "events": ["type": "object", "additionalProperties": ["type": "string", "enum": .array(EventKind.reported.map { .string($0.rawValue) })]],
            ],
        ]
        return [
            ("SourceInput", object([
                ("name", name), ("kind", ["type": "string", "enum": .array(SourceKind.allCases.map { .string($0.rawValue) })]),
                ("options", sourceOptions),
            ], required: ["name", "kind"])),
            ("SourcePatch", object([("name", name), ("options", sourceOptions)])),
            ("Source", object([
                ("id", string), ("name", string), ("kind", string), ("options", ["type": "object"]),
                ("received", ["type": "integer"]), ("refused", ["type": "integer"]), ("created_at", timestamp), ("updated_at", timestamp),
            ])),
            ("SourceWithAddress", object([
                ("id", string), ("name", string), ("kind", string), ("options", ["type": "object"]),
                ("received", ["type": "integer"]), ("refused", ["type": "integer"]), ("created_at", timestamp), ("updated_at", timestamp),
                ("ingest_path", string), ("ingest_url", string),
            ])),
            ("SourceList", object([("data", ["type": "array", "items": ref("Source")])])),
            ("InboundAnswer", object([("status", string), ("order_id", string)])),
        ]
    }

    /// Its routes, in the order the document lists them.
    static let sourceOperations: [Operation] = [
        Operation(method: "POST", path: "/v1/sources", summary: "A source: an address (/in/{secret}) a provider sends its own webhook to; the address is shown only here",
                  security: .account, requestBody: "SourceInput", responses: [(201, "Created, with its address", "SourceWithAddress")]),
        Operation(method: "GET", path: "/v1/sources", summary: "List sources with what each received and refused", security: .account,
                  responses: [(200, "Sources", "SourceList")]),
        Operation(method: "GET", path: "/v1/sources/{id}", summary: "A source", security: .account, responses: [(200, "Source", "Source")], errors: [404]),
        Operation(method: "PATCH", path: "/v1/sources/{id}", summary: "Change a source's name or options", security: .account,
                  requestBody: "SourcePatch", responses: [(200, "Updated", "Source")], errors: [404]),
        Operation(method: "DELETE", path: "/v1/sources/{id}", summary: "Delete a source; its address answers 404 from then on", security: .account,
                  responses: [(204, "Deleted", nil)], errors: [404]),
        Operation(method: "POST", path: "/v1/sources/{id}/rotate-secret", summary: "A new address for the source, shown once; the previous one answers 404 at once",
                  security: .account, responses: [(200, "Rotated, with the new address", "SourceWithAddress")], errors: [404]),
        Operation(method: "POST", path: "/in/{secret}", summary: "A provider's own webhook (Roistat call JSON, Envybox form, Roistat CRM parameters, a json source's JSON), answered once its events are stored",
                  security: .none, responses: [(200, "Stored; Roistat CRM gets its order_id", "InboundAnswer")], errors: [400, 403, 404, 413, 422]),
        Operation(method: "GET", path: "/in/{secret}", summary: "A provider's own webhook sent as GET parameters (Roistat CRM)", security: .none,
                  responses: [(200, "Stored; Roistat CRM gets its order_id", "InboundAnswer")], errors: [400, 403, 404, 422]),
    ]
}
