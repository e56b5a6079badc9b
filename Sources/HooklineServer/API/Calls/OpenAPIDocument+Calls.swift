import HooklineCore
import HooklineStore

/// Calls, leads and messages as ingest takes and answers them, in the API document.
extension OpenAPIDocument {
    static func ingestSchemas(_ catalogue: TokenCatalogue) -> [(String, JSONValue)] {
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

    /// Its routes, in the order the document lists them.
    static let ingestOperations: [Operation] = [
        Operation(method: "POST", path: "/v1/calls", summary: "A call begins", security: .account, parameters: [idempotencyHeader],
                  requestBody: "CallBeginValues", responses: [(201, "Accepted, with the deliveries it created", "IngestReceipt")], errors: [409, 422]),
        Operation(method: "GET", path: "/v1/calls", summary: "List calls, newest first", security: .account, parameters: pageParameters,
                  responses: [(200, "Calls", "CallList")], errors: [400]),
        Operation(method: "GET", path: "/v1/calls/{id}", summary: "A call with every value known about it", security: .account,
                  responses: [(200, "Call", "Call")], errors: [404]),
        Operation(method: "POST", path: "/v1/calls/{id}/end", summary: "The call ends; ending it again returns the first answer",
                  security: .account, parameters: [idempotencyHeader], requestBody: "CallEndValues",
                  responses: [(200, "Accepted", "IngestReceipt")], errors: [404, 422]),
        Operation(method: "POST", path: "/v1/leads", summary: "A lead: form, callback order, chat, quiz, video widget or CRM lead",
                  security: .account, parameters: [idempotencyHeader], requestBody: "LeadValues",
                  responses: [(201, "Accepted", "IngestReceipt")], errors: [409, 422]),
        Operation(method: "GET", path: "/v1/leads", summary: "List leads, newest first", security: .account, parameters: pageParameters,
                  responses: [(200, "Leads", "LeadList")], errors: [400]),
        Operation(method: "GET", path: "/v1/leads/{id}", summary: "A lead", security: .account, responses: [(200, "Lead", "Lead")], errors: [404]),
        Operation(method: "POST", path: "/v1/messages", summary: "A message on a lead: duplicate lead, conversation history, chat message",
                  security: .account, parameters: [idempotencyHeader], requestBody: "MessageValues",
                  responses: [(201, "Accepted", "IngestReceipt")], errors: [404, 422]),
    ]
}
