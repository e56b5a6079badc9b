import HooklineCore
import HooklineStore

extension OpenAPIDocument {
    /// Tokens that name a call, lead or message, and so may appear in a path.
    static let subjectIDTokens: Set<String> = ["callid", "lead_id", "message_id"]

    static func schemas(_ catalogue: TokenCatalogue) -> JSONObject {
        JSONObject(
            operationSchemas + sourceSchemas + ingestSchemas(catalogue) + webhookSchemas + templateSchemas + placeSchemas(catalogue)
                + deliverySchemas + placementSchemas + replaySchemas + channelSchemas)
    }

    static let string: JSONValue = ["type": "string"]
    static let timestamp: JSONValue = ["type": "string", "format": "date-time"]
    static let nullableString: JSONValue = ["type": ["string", "null"]]
    static let text: JSONValue = ["type": "string", "minLength": 1]
    // Names are trimmed: one that is only spaces is empty.
    static let name: JSONValue = ["type": "string", "minLength": 1, "maxLength": 200, "pattern": "\\S"]
    static let scalar: JSONValue = ["type": ["string", "number", "boolean", "null"]]
    static func object(_ properties: [(String, JSONValue)], required: [String] = [], additional: Bool = false) -> JSONValue {
        [
            "type": "object", "properties": .object(JSONObject(properties)),
            "required": .array(required.map(JSONValue.string)), "additionalProperties": .bool(additional),
        ]
    }
    static func list(_ item: String) -> JSONValue {
        object([("data", ["type": "array", "items": ref(item)]), ("next_cursor", nullableString)], required: ["data"])
    }

    private static var operationSchemas: [(String, JSONValue)] {
        [
            ("Error", object([("error", object([("message", string), ("field", string)], required: ["message"]))], required: ["error"])),
            ("AccountInput", object([("name", name)], required: ["name"])),
            ("Status", object([("status", string)])),
            ("Readiness", object([("status", string), ("problems", ["type": "array", "items": string]), ("workers", ["type": "boolean"])])),
            ("Account", object([("id", string), ("name", string), ("created_at", timestamp)])),
            ("AccountCreated", object([("id", string), ("name", string), ("created_at", timestamp), ("api_key", string)])),
            ("AccountList", object([("data", ["type": "array", "items": ref("Account")])])),
            ("OwnAccount", object([("id", string), ("name", string), ("created_at", timestamp), ("auto_disable_days", ["type": "integer"]), ("alerts", ref("AlertPolicy"))])),
            ("OwnAccountPatch", .object(object([
                ("auto_disable_days", ["type": "integer", "minimum": 0, "maximum": .integer(Int64(AutoDisable.longestDays)), "description": "Default 5; 0 never disables"]),
                ("alerts", ref("AlertPolicy")),
            ]).objectValue!.merging(["minProperties": 1]))),
            ("UserInput", object([
                ("email", ["type": "string", "format": "email", "maxLength": 254]),
                ("password", [
                    "type": "string", "minLength": 10, "maxLength": 72, "pattern": "^[^\\u0000-\\u001F\\u007F-\\u009F]*$",
                    "description": "At most 72 bytes in UTF-8 (bcrypt's limit), without control characters",
                ]),
                ("role", ["type": "string", "enum": ["admin", "member"], "default": "member"]),
            ], required: ["email", "password"])),
            ("User", object([("id", string), ("email", string), ("role", ["type": "string", "enum": ["admin", "member"]]), ("created_at", timestamp)])),
            ("UserList", object([("data", ["type": "array", "items": ref("User")])])),
        ]
    }

    /// `SubjectKind.id`: no '/' and no control character.
    static let subjectIDPattern = "^[^/\\u0000-\\u001F\\u007F-\\u009F]*$"

    /// `names` marks the token that names the call or lead in a path: no '/', at most 200 bytes.
    static func tokenSchema(_ token: Token, names: Bool = false) -> JSONValue {
        var schema: JSONObject
        switch token.type {
        case .string:
            schema = ["type": ["string", "integer", "null"]]
            if let allowed = token.allowedValues { schema["enum"] = .array(allowed.map(JSONValue.string) + [.null]) }
        case .integer:
            schema = ["type": ["integer", "null"], "minimum": .integer(token.range?.lowerBound ?? Int64.min), "maximum": .integer(token.range?.upperBound ?? Int64.max)]
        case .decimal: schema = ["type": ["number", "null"]]
        case .boolean: schema = ["type": ["boolean", "null"]]
        case .timestamp: schema = ["type": ["string", "null"], "format": "date-time"]
        case .object: schema = ["type": ["object", "null"]]
        case .array: schema = ["type": ["array", "null"]]
        case .identifier: schema = ["type": ["string", "integer", "null"], "minLength": 1]
        }
        if names {
            schema["minLength"] = 1
            schema["maxLength"] = 200
            schema["pattern"] = .string(Self.subjectIDPattern)
        }
        schema["description"] = .string(token.description)
        if !token.example.isNull { schema["examples"] = [token.example] }
        return .object(schema)
    }
}
