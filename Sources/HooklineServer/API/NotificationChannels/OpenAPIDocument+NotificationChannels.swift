import HooklineCore

/// Notification channels and the account's alert rules in the API document.
extension OpenAPIDocument {
    static var channelSchemas: [(String, JSONValue)] {
        let events: JSONValue = [
            "type": "array", "minItems": 1, "items": ["type": "string", "enum": .array(EventKind.alerts.map { .string($0.rawValue) })],
            "description": "The alerts it takes; default all",
        ]
        let url: JSONValue = ["type": "string", "format": "uri", "maxLength": 2048, "pattern": "^[Hh][Tt][Tt][Pp][Ss]?://[^\\u0000-\\u0020\\u007F]+$"]
        let token: JSONValue = ["type": "string", "pattern": "^[A-Za-z0-9:_-]{1,100}$", "description": "The token @BotFather gave; never shown back"]
        let chat: JSONValue = ["type": "string", "pattern": "^(-?[0-9]{1,63}|@[A-Za-z0-9_]{1,63})$", "description": "A chat's numeric id or a public channel's @name"]
        let common: [(String, JSONValue)] = [("name", name), ("events", events), ("enabled", ["type": "boolean"])]
        let webChannel = common + [("kind", ["type": "string", "enum": ["json", "slack"]]), ("url", url)]
        let telegram = common + [("kind", ["type": "string", "enum": ["telegram"]]), ("bot_token", token), ("chat_id", chat), ("api_url", url)]
        let health = object([("state", string), ("consecutive_failures", ["type": "integer"]), ("failing_since", nullableString), ("last_error", nullableString), ("paused_until", nullableString)])
        let shown: [(String, JSONValue)] = [
            ("id", string), ("kind", ["type": "string", "enum": .array(ChannelKind.allCases.map { .string($0.rawValue) })]), ("name", string),
            ("url", string), ("chat_id", nullableString), ("api_url", nullableString), ("events", events), ("enabled", ["type": "boolean"]),
            ("disabled_reason", nullableString), ("health", health), ("created_at", timestamp), ("updated_at", timestamp),
        ]
        return [
            ("ChannelInput", ["oneOf": [object(webChannel, required: ["kind", "name", "url"]), object(telegram, required: ["kind", "name", "bot_token", "chat_id"])]]),
            ("ChannelPatch", object(common + [("url", url), ("bot_token", token), ("chat_id", chat), ("api_url", url)])),
            ("Channel", object(shown)),
            ("ChannelWithSecret", object(shown + [("secret", ["type": "string", "description": "whsec_…; alerts are signed with Standard Webhooks"])])),
            ("ChannelList", object([("data", ["type": "array", "items": ref("Channel")])])),
            ("ChannelTest", object([("kind", ["type": "string", "enum": .array(EventKind.alerts.map { .string($0.rawValue) })])])),
            ("AlertPolicy", object([
                ("failures", ["type": "integer", "minimum": .integer(Int64(AlertPolicy.failuresRange.lowerBound)), "maximum": .integer(Int64(AlertPolicy.failuresRange.upperBound)), "description": "Attempts failed in a row before webhook.failing; default 5"]),
                ("digest_minutes", ["type": "integer", "minimum": .integer(Int64(AlertPolicy.digestMinutesRange.lowerBound)), "maximum": .integer(Int64(AlertPolicy.digestMinutesRange.upperBound)), "description": "At most one delivery.dead digest per webhook in this many minutes; default 60"]),
                ("reminder_days", [
                    "type": "array", "maxItems": .integer(Int64(AlertPolicy.mostReminders)), "uniqueItems": true,
                    "items": ["type": "integer", "minimum": 1, "maximum": 365], "description": "In any order; default [1, 7, 14]",
                ]),
                ("failure_rate", ["anyOf": [
                    object([
                        ("percent", ["type": "integer", "minimum": 1, "maximum": 100]),
                        ("minutes", ["type": "integer", "minimum": 1, "maximum": 1440, "description": "Default 15"]),
                        ("min_attempts", ["type": "integer", "minimum": 1, "maximum": 100000, "description": "Default 10"]),
                    ], required: ["percent"]),
                    ["type": "null"],
                ], "description": "Also failing when this share of the last minutes' attempts failed; null: off (the default)"]),
            ])),
        ]
    }

    static let channelOperations: [Operation] = [
        Operation(method: "POST", path: "/v1/notification-channels",
                  summary: "Add a channel alerts go to: a JSON receiver (signed with Standard Webhooks), a Slack incoming webhook or a Telegram bot's chat",
                  security: .account, requestBody: "ChannelInput", responses: [(201, "Created, with its signing secret (shown only here)", "ChannelWithSecret")], errors: [422]),
        Operation(method: "GET", path: "/v1/notification-channels", summary: "The account's notification channels", security: .account,
                  responses: [(200, "Channels", "ChannelList")]),
        Operation(method: "GET", path: "/v1/notification-channels/{id}", summary: "A notification channel", security: .account,
                  responses: [(200, "Channel", "Channel")], errors: [404]),
        Operation(method: "PATCH", path: "/v1/notification-channels/{id}", summary: "Change some fields of a channel (its kind stays)", security: .account,
                  requestBody: "ChannelPatch", responses: [(200, "Updated", "Channel")], errors: [404, 422]),
        Operation(method: "DELETE", path: "/v1/notification-channels/{id}", summary: "Delete a channel and its alerts' deliveries", security: .account,
                  responses: [(204, "Deleted", nil)], errors: [404]),
        Operation(method: "POST", path: "/v1/notification-channels/{id}/rotate-secret",
                  summary: "A new signing secret, shown once; the previous one keeps signing for 24 hours", security: .account,
                  responses: [(200, "Rotated, with the new secret", "ChannelWithSecret")], errors: [404]),
        Operation(method: "POST", path: "/v1/notification-channels/{id}/test",
                  summary: "Send a test alert now; answers with the exact request and the answer. Nothing is stored.",
                  security: .account, requestBody: "ChannelTest", requestBodyRequired: false, responses: [(200, "What was sent and answered", "WebhookTestResult")], errors: [404]),
    ]
}
