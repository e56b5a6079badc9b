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
            ("CallUpdateValues", atLeastOne(values(for: .callUpdated))),
            ("LeadUpdateValues", atLeastOne(values(for: .leadUpdated))),
            ("ConversionValues", values(for: .callConverted, extra: [
                ("call_id", subjectID),
                ("caller", ["type": ["string", "integer"], "description": "The caller's number, when the call's id is not known: its latest call in the window"]),
                ("from", ["type": "string", "format": "date-time", "description": "Start of the window (with caller); 30 days before to by default"]),
                ("to", ["type": "string", "format": "date-time", "description": "End of the window (with caller); converted_at, else now, by default"]),
            ])),
            ("IngestReceipt", object([
                ("id", ["type": "string", "description": "The call, lead, message or conversion id"]), ("lead_id", string), ("call_id", string),
                ("event_id", ["type": ["string", "null"], "description": "Null when an update changed nothing: no event, nothing sent"]),
                ("kind", string), ("received_at", timestamp), ("deliveries", ["type": "array", "items": string]),
                ("changed_fields", ["type": "array", "items": string, "description": "What an update or an end changed of what was known"]),
                ("version", ["type": "integer", "description": "The call's or lead's version after the event"]),
            ])),
            ("SubjectEvent", object([
                ("id", string), ("kind", string), ("version", ["type": ["integer", "null"]]), ("received_at", timestamp), ("source", nullableString),
                ("changes", ["type": "array", "items": object([("field", string), ("from", [:]), ("to", [:])])]),
            ])),
            ("SubjectEventList", object([("data", ["type": "array", "items": ref("SubjectEvent")])], required: ["data"])),
            ("Call", object([
                ("id", string), ("status", ["type": "string", "enum": ["in_progress", "ended"]]), ("started_at", timestamp),
                ("ended_at", ["type": ["string", "null"], "format": "date-time"]), ("campaign", nullableString), ("location", nullableString),
                ("source", nullableString),
                ("values", ["type": "object"]), ("captured", ["type": "object", "description": "Values taken from receivers' answers"]),
                ("version", ["type": "integer", "description": "1 at its begin; each end, update and conversion adds one"]),
            ])),
            ("CallList", list("Call")),
            ("Lead", object([
                ("id", string), ("created_at", timestamp), ("message_count", ["type": "integer"]), ("campaign", nullableString), ("location", nullableString),
                ("source", nullableString),
                ("values", ["type": "object"]), ("captured", ["type": "object"]), ("version", ["type": "integer"]),
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
        Operation(method: "PATCH", path: "/v1/calls/{id}",
                  summary: "Later data: set tokens of a call (recording, transcript, score, note); fires call.updated when something changed",
                  security: .account, parameters: [idempotencyHeader], requestBody: "CallUpdateValues",
                  responses: [(200, "Accepted; event_id is null when nothing changed", "IngestReceipt")], errors: [404, 422]),
        Operation(method: "GET", path: "/v1/calls/{id}/events", summary: "The call's timeline: each event, its version and what it changed",
                  security: .account, responses: [(200, "Events, oldest first", "SubjectEventList")], errors: [404]),
        Operation(method: "POST", path: "/v1/leads", summary: "A lead: form, callback order, chat, quiz, video widget or CRM lead",
                  security: .account, parameters: [idempotencyHeader], requestBody: "LeadValues",
                  responses: [(201, "Accepted", "IngestReceipt")], errors: [409, 422]),
        Operation(method: "GET", path: "/v1/leads", summary: "List leads, newest first", security: .account, parameters: pageParameters,
                  responses: [(200, "Leads", "LeadList")], errors: [400]),
        Operation(method: "GET", path: "/v1/leads/{id}", summary: "A lead", security: .account, responses: [(200, "Lead", "Lead")], errors: [404]),
        Operation(method: "PATCH", path: "/v1/leads/{id}", summary: "Set tokens of a lead; fires lead.updated when something changed",
                  security: .account, parameters: [idempotencyHeader], requestBody: "LeadUpdateValues",
                  responses: [(200, "Accepted; event_id is null when nothing changed", "IngestReceipt")], errors: [404, 422]),
        Operation(method: "GET", path: "/v1/leads/{id}/events", summary: "The lead's timeline", security: .account,
                  responses: [(200, "Events, oldest first", "SubjectEventList")], errors: [404]),
        Operation(method: "POST", path: "/v1/messages", summary: "A message on a lead: duplicate lead, conversation history, chat message",
                  security: .account, parameters: [idempotencyHeader], requestBody: "MessageValues",
                  responses: [(201, "Accepted", "IngestReceipt")], errors: [404, 422]),
        Operation(method: "POST", path: "/v1/conversions",
                  summary: "A sale or outcome of a call, found by call_id or by caller and window; fires call.converted",
                  security: .account, parameters: [idempotencyHeader], requestBody: "ConversionValues",
                  responses: [(201, "Accepted", "IngestReceipt")], errors: [404, 409, 422]),
    ]

    /// An update's body names at least one token.
    private static func atLeastOne(_ schema: JSONValue) -> JSONValue {
        guard var object = schema.objectValue else { return schema }
        object["minProperties"] = 1
        return .object(object)
    }
}
