import HooklineCore
import HooklineStore

/// Deliveries and their attempts in the API document.
extension OpenAPIDocument {
    static var deliverySchemas: [(String, JSONValue)] {
        let header = object([("name", string), ("value", string)], required: ["name", "value"])
        let delivery: [(String, JSONValue)] = [
            ("id", string), ("webhook_id", string), ("event_id", string),
            ("event_kind", ["type": "string", "enum": .array(EventKind.allCases.map { .string($0.rawValue) })]),
            ("subject_id", ["type": "string", "description": "The call or lead id"]),
            ("subject_version", ["type": ["integer", "null"], "description": "The version of the call or lead it renders: the one its event left"]),
            ("status", ["type": "string", "enum": .array(DeliveryStatus.allCases.map { .string($0.rawValue) })]),
            ("attempt_count", ["type": "integer"]), ("next_attempt_at", ["type": ["string", "null"], "format": "date-time"]),
            ("last_response_status", ["type": ["integer", "null"]]), ("last_error", nullableString),
            ("source", ["type": ["string", "null"], "description": "The source that reported the call or lead, when one did"]),
            ("held", ["oneOf": [["type": "null"], object([("until", timestamp), ("waiting_for", ["type": "array", "items": string])])],
                      "description": "While held (a webhook's hold): until when, and the tokens it waits for"]),
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

    /// Its routes, in the order the document lists them.
    static let deliveryOperations: [Operation] = [
        Operation(method: "GET", path: "/v1/deliveries", summary: "List deliveries, newest first", security: .account,
                  parameters: [
                      query("webhook_id", "Only this webhook's"), query("call_id", "Only this call's"), query("lead_id", "Only this lead's"),
                      query("status", "Only in this status", ["type": "string", "enum": .array(DeliveryStatus.allCases.map { .string($0.rawValue) })]),
                  ] + pageParameters,
                  responses: [(200, "Deliveries", "DeliveryList")], errors: [400, 422]),
        Operation(method: "GET", path: "/v1/deliveries/{id}", summary: "A delivery with all its attempts", security: .account,
                  responses: [(200, "Delivery", "DeliveryDetail")], errors: [404]),
        Operation(method: "POST", path: "/v1/deliveries/{id}/replay", summary: "Send a delivery again now, with a fresh retry schedule",
                  security: .account, responses: [(202, "Due now", "Delivery")], errors: [404]),
    ]
}
