import HooklineCore
import HooklineStore

extension OpenAPIDocument {
    /// Tokens that name a call, lead or message, and so may appear in a path.
    static let subjectIDTokens: Set<String> = ["callid", "lead_id", "message_id"]

    static func schemas(_ catalogue: TokenCatalogue) -> JSONObject {
        JSONObject(
            operationSchemas + sourceSchemas + ingestSchemas(catalogue) + webhookSchemas + templateSchemas + placeSchemas(catalogue)
                + deliverySchemas + placementSchemas)
    }

    fileprivate static let string: JSONValue = ["type": "string"]
    fileprivate static let timestamp: JSONValue = ["type": "string", "format": "date-time"]
    fileprivate static let nullableString: JSONValue = ["type": ["string", "null"]]
    fileprivate static let text: JSONValue = ["type": "string", "minLength": 1]
    // Names are trimmed: one that is only spaces is empty.
    fileprivate static let name: JSONValue = ["type": "string", "minLength": 1, "maxLength": 200, "pattern": "\\S"]
    fileprivate static let scalar: JSONValue = ["type": ["string", "number", "boolean", "null"]]
    fileprivate static func object(_ properties: [(String, JSONValue)], required: [String] = [], additional: Bool = false) -> JSONValue {
        [
            "type": "object", "properties": .object(JSONObject(properties)),
            "required": .array(required.map(JSONValue.string)), "additionalProperties": .bool(additional),
        ]
    }
    fileprivate static func list(_ item: String) -> JSONValue {
        object([("data", ["type": "array", "items": ref(item)]), ("next_cursor", nullableString)], required: ["data"])
    }

    private static var webhookFields: [(String, JSONValue)] {
        let retry = object([
            ("schedule", [
                "type": "array", "minItems": 1, "maxItems": .integer(Int64(RetryPolicy.mostSteps)),
                "items": ["type": "number", "minimum": 0, "maximum": .decimal(RetryPolicy.longestDelay)], "description": "Seconds before each try; the last repeats",
            ]),
            ("max_age", ["type": "number", "exclusiveMinimum": 0, "maximum": .decimal(RetryPolicy.longestMaximumAge), "description": "Seconds after which a failing delivery is dead"]),
        ])
        let template = object([
            ("format", ["type": "string", "enum": .array(TemplateFormat.allCases.map { .string($0.rawValue) })]),
            ("body", ["type": "string", "description": "The payload with %token% placeholders"]),
        ], required: ["format", "body"])
        return [
            ("name", name),
            ("url", ["type": "string", "format": "uri", "maxLength": 2048, "pattern": "^[Hh][Tt][Tt][Pp][Ss]?://[^\\u0000-\\u0020\\u007F]+$",
                     "description": "http or https; a password in it is shown back as [redacted]"]),
            ("method", ["type": "string", "enum": .array(WebhookMethod.allCases.map { .string($0.rawValue) })]),
            ("headers", [
                "type": "object", "propertyNames": ["pattern": "^[!#$%&'*+.^_`|~0-9A-Za-z-]+$"],
                "additionalProperties": ["type": "string", "maxLength": .integer(Int64(RequestHeadLimits.maximumValueBytes / 4)), "pattern": "^[^\\r\\n\\u0000]*$"],
                "description": "Header names to values with %token% placeholders; Content-Length, Host, Transfer-Encoding, Connection, Upgrade, TE, Trailer and the webhook-* headers are Hookline's; values of secret-looking names are shown back as [redacted]",
            ]),
            // Shown back, the one of template and preset a webhook does not use is null.
            ("template", ["oneOf": [["type": "null"], template, object([("id", ["type": "string", "description": "A saved template (tpl_…); its changes reach the webhook"])], required: ["id"])]]),
            ("preset", ["oneOf": [
                ["type": "null"],
                ["type": "string", "enum": .array(Preset.all.map { .string($0.name) })],
                ["type": "object", "properties": ["name": ["type": "string", "enum": .array(Preset.all.map { .string($0.name) })]], "required": ["name"], "additionalProperties": true,
                 "description": "The preset's name and its options (GET /v1/presets); secret options are never shown back"],
            ]]),
            ("answer_rule", ["oneOf": [["type": "null"], object([("path", ["type": "string", "description": "JSON path such as $.status"]), ("equals", [:])], required: ["path", "equals"])]]),
            ("capture", ["type": "object", "additionalProperties": string, "description": "JSON path in the answer → token kept on the call or lead"]),
            ("conditions", ["type": "array", "items": object([
                ("token", string), ("op", ["type": "string", "enum": .array(TokenCondition.Operation.allCases.map { .string($0.rawValue) })]), ("value", [:]),
            ], required: ["token", "op"])]),
            ("first_call_only", ["type": "boolean", "description": "Call events only for a caller's first call to the account"]),
        ] + scopeFields + [
            ("success_codes", ["type": "array", "minItems": 1, "items": ["type": "integer", "minimum": 100, "maximum": 599], "description": "Default 200–299"]),
            ("triggers", ["type": "array", "minItems": 1, "items": ["type": "string", "enum": .array(EventKind.allCases.map { .string($0.rawValue) })]]),
            ("enabled", ["type": "boolean"]),
            ("retry", retry),
            ("max_in_flight", ["type": "integer", "minimum": 1, "maximum": 256, "description": "Requests not yet answered, at once; default 8"]),
            ("probe_interval", ["type": "number", "minimum": 0.1, "maximum": 3600, "description": "While failing, the longest wait between probes, in seconds; default 30"]),
            ("timeouts", object([
                ("connect", ["type": "number", "exclusiveMinimum": 0, "maximum": .decimal(WebhookTimeouts.longest.connect)]),
                ("total", ["type": "number", "exclusiveMinimum": 0, "maximum": .decimal(WebhookTimeouts.longest.total)]),
            ])),
            ("signing", ["type": "boolean", "description": "Standard Webhooks signature headers; default true"]),
            // As shown back: credentials never are.
            ("auth", ["oneOf": [
                ["type": "null"],
                object([("type", ["const": "basic"]), ("username", string)], required: ["type", "username"]),
                object([("type", ["const": "bearer"])], required: ["type"]),
            ]]),
        ]
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

    private static var sourceSchemas: [(String, JSONValue)] {
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

    private static func ingestSchemas(_ catalogue: TokenCatalogue) -> [(String, JSONValue)] {
        let token = object([
            ("name", string), ("category", string), ("type", string), ("description", string), ("example", [:]),
            ("allowed_values", ["type": "array", "items": string]),
        ])
        let routingKeys: [(String, JSONValue)] = [
            ("campaign", ["type": "string", "minLength": 1, "description": "The campaign (cmp_…); otherwise found by the tracking number"]),
            ("location", ["type": "string", "minLength": 1, "description": "The location (loc_…); otherwise the campaign's"]),
        ]
        func values(for kind: EventKind, extra: [(String, JSONValue)] = [], required: [String] = []) -> JSONValue {
            let tokens = catalogue.tokens.filter { kind.acceptedCategories.contains($0.category) }
            return object(extra + tokens.map { ($0.name, tokenSchema($0, names: Self.subjectIDTokens.contains($0.name))) }, required: required)
        }
        let subjectID: JSONValue = ["type": ["string", "integer"], "minLength": 1, "maxLength": 200, "pattern": .string(Self.subjectIDPattern)]
        return [
            ("TokenCatalogue", object([("categories", ["type": "array", "items": object([("name", string), ("tokens", ["type": "array", "items": token])])])])),
            ("CallBeginValues", values(for: .callBegin, extra: routingKeys)),
            ("CallEndValues", values(for: .callEnd)),
            ("LeadValues", values(for: .leadCreated, extra: routingKeys)),
            ("MessageValues", values(for: .leadMessage, extra: [("lead_id", subjectID)], required: ["lead_id"])),
            ("IngestReceipt", object([
                ("id", ["type": "string", "description": "The call, lead or message id"]), ("lead_id", string), ("event_id", string),
                ("kind", string), ("received_at", timestamp), ("deliveries", ["type": "array", "items": string]),
            ])),
            ("Call", object([
                ("id", string), ("status", ["type": "string", "enum": ["in_progress", "ended"]]), ("started_at", timestamp),
                ("ended_at", ["type": ["string", "null"], "format": "date-time"]), ("campaign", nullableString), ("location", nullableString),
                ("source", nullableString),
                ("values", ["type": "object"]), ("captured", ["type": "object", "description": "Values taken from receivers' answers"]),
            ])),
            ("CallList", list("Call")),
            ("Lead", object([
                ("id", string), ("created_at", timestamp), ("message_count", ["type": "integer"]), ("campaign", nullableString), ("location", nullableString),
                ("source", nullableString),
                ("values", ["type": "object"]), ("captured", ["type": "object"]),
            ])),
            ("LeadList", list("Lead")),
        ]
    }

    private static var webhookSchemas: [(String, JSONValue)] {
        let line: JSONValue = ["type": "string", "pattern": "^[^\\r\\n]+$", "writeOnly": true]
        let authInput: JSONValue = ["oneOf": [
            ["type": "null"],
            object([("type", ["const": "basic"]), ("username", ["type": "string", "pattern": "^[^\\r\\n:]+$"]), ("password", line)], required: ["type", "username", "password"]),
            object([("type", ["const": "bearer"]), ("token", line)], required: ["type", "token"]),
        ]]
        let webhookPatchFields = webhookFields.map { $0.0 == "auth" ? ("auth", authInput) : $0 }
        // A new webhook names a template or a preset: neither may be null.
        let webhookInputFields = webhookPatchFields.map { field -> (String, JSONValue) in
            guard field.0 == "template" || field.0 == "preset", let choices = field.1["oneOf"]?.arrayValue else { return field }
            return (field.0, ["oneOf": .array(choices.filter { $0 != ["type": "null"] })])
        }
        let webhookState: [(String, JSONValue)] = [
            ("disabled_reason", nullableString),
            ("health", object([
                ("state", ["type": "string", "enum": ["healthy", "failing"]]), ("consecutive_failures", ["type": "integer"]),
                ("failing_since", ["type": ["string", "null"], "format": "date-time"]), ("last_error", nullableString),
            ])),
            ("created_at", timestamp), ("updated_at", timestamp),
        ]
        return [
            // A webhook renders a template on its triggers, or a preset (which brings its triggers).
            ("WebhookInput", .object(object(webhookInputFields, required: ["name", "url"]).objectValue!.merging(["anyOf": [["required": ["template", "triggers"]], ["required": ["preset"]]]]))),
            ("WebhookTest", object([
                ("kind", ["type": "string", "enum": .array(EventKind.allCases.map { .string($0.rawValue) })]), ("call_id", string), ("lead_id", string),
            ])),
            ("WebhookTestResult", object([
                ("kind", string), ("delivered", ["type": "boolean"]), ("captured", ["type": "object"]), ("number", ["type": "integer"]),
                ("started_at", timestamp), ("duration_ms", ["type": "integer"]), ("request", ["type": "object"]), ("response", ["type": ["object", "null"]]),
                ("error_kind", nullableString), ("error_message", nullableString),
            ])),
            ("WebhookPatch", object(webhookPatchFields)),
            ("Webhook", object([("id", string)] + webhookFields + webhookState)),
            ("WebhookWithSecret", object([("id", string)] + webhookFields + webhookState + [("secret", ["type": "string", "description": "whsec_…"])])),
            ("WebhookList", object([("data", ["type": "array", "items": ref("Webhook")])])),
            ("PresetList", object([("data", ["type": "array", "items": object([
                ("name", string), ("summary", string), ("method", string), ("triggers", ["type": "array", "minItems": 1, "items": string]),
                ("options", ["type": "array", "items": ["type": "object"]]), ("formats", ["type": "array", "items": ["type": "object"]]),
                ("answer_rule", ["type": ["object", "null"]]), ("capture", ["type": "object"]), ("first_call_only", ["type": "boolean"]),
            ])])])),
        ]
    }

    private static var templateSchemas: [(String, JSONValue)] {
        let templateFields: [(String, JSONValue)] = [
            ("name", name), ("group", ["type": ["string", "null"], "minLength": 1]),
            ("format", ["type": "string", "enum": .array(TemplateFormat.allCases.map { .string($0.rawValue) })]),
            ("body", ["type": "string", "description": "The payload with %token% placeholders"]),
            ("example", ["type": "string", "minLength": 1, "description": "An example document (JSON or XML) to build the template from"]),
            ("mapping", ["type": "object", "additionalProperties": string, "description": "Field path of the example → token name"]),
        ]
        return [
            ("TemplateInput", object(templateFields, required: ["name", "format"])),
            ("TemplatePatch", object(templateFields)),
            ("Template", object([
                ("id", string), ("name", string), ("group", nullableString), ("format", string), ("body", string), ("created_at", timestamp), ("updated_at", timestamp),
            ])),
            ("TemplateList", object([("data", ["type": "array", "items": ref("Template")])])),
            ("TemplateExample", object([("format", ["type": "string", "enum": ["json", "xml"]]), ("example", text)], required: ["format", "example"])),
            ("TemplateFields", object([("fields", ["type": "array", "items": object([("path", string), ("sample", [:])])])])),
        ]
    }

    private static func placeSchemas(_ catalogue: TokenCatalogue) -> [(String, JSONValue)] {
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

    private static var deliverySchemas: [(String, JSONValue)] {
        let header = object([("name", string), ("value", string)], required: ["name", "value"])
        let delivery: [(String, JSONValue)] = [
            ("id", string), ("webhook_id", string), ("event_id", string),
            ("event_kind", ["type": "string", "enum": .array(EventKind.allCases.map { .string($0.rawValue) })]),
            ("subject_id", ["type": "string", "description": "The call or lead id"]),
            ("status", ["type": "string", "enum": .array(DeliveryStatus.allCases.map { .string($0.rawValue) })]),
            ("attempt_count", ["type": "integer"]), ("next_attempt_at", ["type": ["string", "null"], "format": "date-time"]),
            ("last_response_status", ["type": ["integer", "null"]]), ("last_error", nullableString),
            ("source", ["type": ["string", "null"], "description": "The source that reported the call or lead, when one did"]),
            ("created_at", timestamp), ("updated_at", timestamp),
        ]
        let attempt = object([
            ("number", ["type": "integer"]), ("started_at", timestamp), ("duration_ms", ["type": "integer"]),
            ("request", object([("method", string), ("url", string), ("headers", ["type": "array", "items": header]), ("body", string)])),
            ("response", ["oneOf": [["type": "null"], object([
                ("status", ["type": "integer"]), ("headers", ["type": "array", "items": header]), ("body", string), ("body_truncated", ["type": "boolean"]),
            ])]]),
            ("error_kind", ["type": ["string", "null"], "enum": .array(AttemptErrorKind.allCases.map { .string($0.rawValue) } + [.null])]),
            ("error_message", nullableString),
        ])
        return [
            ("Delivery", object(delivery)),
            ("DeliveryDetail", object(delivery + [("attempts", ["type": "array", "items": attempt])])),
            ("DeliveryList", list("Delivery")),
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
