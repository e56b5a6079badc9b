import HooklineCore
import HooklineStore

/// Webhooks in the API document.
extension OpenAPIDocument {
    static var webhookFields: [(String, JSONValue)] {
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
            ("hold", ["oneOf": [["type": "null"], object([
                ("until", ["type": "array", "minItems": 1, "maxItems": .integer(Int64(HoldRule.mostTokens)), "items": string,
                           "description": "Tokens the call's end waits for, such as rec_audiourl"]),
                ("max_seconds", ["type": "integer", "minimum": 1, "maximum": .integer(Int64(HoldRule.longestSeconds))]),
            ], required: ["until", "max_seconds"])], "description": "Hold the call.end delivery until the tokens are known or the time is up"]),
            ("rate_limit", ["oneOf": [["type": "null"], object([
                ("requests", ["type": "integer", "minimum": 1, "maximum": .integer(Int64(RateLimit.mostRequests))]),
                ("seconds", ["type": "number", "minimum": 1, "maximum": .integer(Int64(RateLimit.longestSeconds))]),
            ], required: ["requests", "seconds"])], "description": "At most this many requests in so many seconds (a token bucket), across every worker process"]),
        ] + scopeFields + [
            ("success_codes", ["type": "array", "minItems": 1, "items": ["type": "integer", "minimum": 100, "maximum": 599], "description": "Default 200–299"]),
            ("triggers", ["type": "array", "minItems": 1, "items": ["type": "string", "enum": .array(EventKind.reported.map { .string($0.rawValue) })]]),
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

    static var webhookSchemas: [(String, JSONValue)] {
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
                ("paused_until", [
                    "type": ["string", "null"], "format": "date-time",
                    "description": "The receiver answered 429 or 503 with Retry-After: nothing of this webhook's is sent before then",
                ]),
            ])),
            ("created_at", timestamp), ("updated_at", timestamp),
        ]
        let count: JSONValue = ["type": "integer", "minimum": 0]
        let webhookQueue: [(String, JSONValue)] = [
            ("trouble", [
                "type": "string", "enum": .array(WebhookTrouble.allCases.map { .string($0.name) }),
                "description": "How much the webhook needs attention; `?sort=trouble` lists the most first",
            ]),
            ("queue", object([
                ("waiting", count), ("in_flight", count), ("held", count),
                ("next_attempt_at", ["type": ["string", "null"], "format": "date-time"]),
            ])),
        ]
        return [
            // A webhook renders a template on its triggers, or a preset (which brings its triggers).
            ("WebhookInput", .object(object(webhookInputFields, required: ["name", "url"]).objectValue!.merging(["anyOf": [["required": ["template", "triggers"]], ["required": ["preset"]]]]))),
            ("WebhookTest", object([
                ("kind", ["type": "string", "enum": .array(EventKind.reported.map { .string($0.rawValue) })]), ("call_id", string), ("lead_id", string),
            ])),
            ("WebhookTestResult", object([
                ("kind", string), ("delivered", ["type": "boolean"]), ("captured", ["type": "object"]), ("number", ["type": "integer"]),
                ("started_at", timestamp), ("duration_ms", ["type": "integer"]), ("request", ["type": "object"]), ("response", ["type": ["object", "null"]]),
                ("error_kind", nullableString), ("error_message", nullableString),
            ])),
            ("WebhookPatch", object(webhookPatchFields)),
            ("Webhook", object([("id", string)] + webhookFields + webhookState)),
            ("WebhookWithSecret", object([("id", string)] + webhookFields + webhookState + [("secret", ["type": "string", "description": "whsec_…"])])),
            ("WebhookWithQueue", object([("id", string)] + webhookFields + webhookState + webhookQueue)),
            ("WebhookList", object([("data", ["type": "array", "items": ref("WebhookWithQueue")])])),
            ("PresetList", object([("data", ["type": "array", "items": object([
                ("name", string), ("summary", string), ("method", string), ("triggers", ["type": "array", "minItems": 1, "items": string]),
                ("options", ["type": "array", "items": ["type": "object"]]), ("formats", ["type": "array", "items": ["type": "object"]]),
                ("answer_rule", ["type": ["object", "null"]]), ("capture", ["type": "object"]), ("first_call_only", ["type": "boolean"]),
            ])])])),
        ]
    }

    /// Its routes, in the order the document lists them.
    static let webhookOperations: [Operation] = [
        Operation(method: "POST", path: "/v1/webhooks", summary: "Create a webhook", security: .account, requestBody: "WebhookInput",
                  responses: [(201, "Created, with its signing secret (shown only here)", "WebhookWithSecret")]),
        Operation(method: "GET", path: "/v1/webhooks", summary: "List webhooks, each with what waits in its queue", security: .account,
                  parameters: [query("sort", "created (the default) or trouble: disabled by Hookline, failing, retrying, healthy, disabled", ["type": "string", "enum": ["created", "trouble"]])],
                  responses: [(200, "Webhooks", "WebhookList")], errors: [400]),
        Operation(method: "GET", path: "/v1/webhooks/{id}", summary: "A webhook, with what waits in its queue", security: .account,
                  responses: [(200, "Webhook", "WebhookWithQueue")], errors: [404]),
        Operation(method: "PATCH", path: "/v1/webhooks/{id}", summary: "Change some fields of a webhook", security: .account,
                  requestBody: "WebhookPatch", responses: [(200, "Updated", "Webhook")], errors: [404]),
        Operation(method: "POST", path: "/v1/webhooks/{id}/rotate-secret",
                  summary: "A new signing secret, shown once; the previous one keeps signing for 24 hours", security: .account,
                  responses: [(200, "Rotated, with the new secret", "WebhookWithSecret")], errors: [404]),
        Operation(method: "DELETE", path: "/v1/webhooks/{id}", summary: "Delete a webhook and its deliveries", security: .account,
                  responses: [(204, "Deleted", nil)], errors: [404]),
        Operation(method: "POST", path: "/v1/webhooks/{id}/test",
                  summary: "Send the webhook now with the catalogue's example values (or a given call or lead); answers with the exact request and the answer. No delivery is created.",
                  security: .account, requestBody: "WebhookTest", requestBodyRequired: false, responses: [(200, "What was sent and answered", "WebhookTestResult")], errors: [404]),
    ]
}
