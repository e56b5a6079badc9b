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
}
