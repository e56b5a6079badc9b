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
                "events": ["type": "object", "additionalProperties": ["type": "string", "enum": .array(EventKind.allCases.map { .string($0.rawValue) })]],
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
}
