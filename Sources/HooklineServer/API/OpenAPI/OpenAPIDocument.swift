import HooklineCore
import HooklineStore

/// The OpenAPI 3.1 description of every route. Ingest bodies are generated from the token
/// catalogue, so the document cannot drift from what ingest accepts.
enum OpenAPIDocument {
    enum Security { case none, admin, account }

    struct Operation {
        var method: String
        var path: String
        var summary: String
        var security: Security
        var parameters: [JSONValue] = []
        var requestBody: String? = nil
        var requestBodyRequired = true
        var responses: [(code: Int, description: String, schema: String?)]
        /// Errors this operation can answer with, on top of those of its security.
        var errors: [Int] = []
    }

    static func build(catalogue: TokenCatalogue = .standard) -> JSONValue {
        var paths = JSONObject()
        for operation in operations + placementOperations {
            var item = paths[operation.path]?.objectValue ?? JSONObject()
            item[operation.method.lowercased()] = .object(describe(operation))
            paths[operation.path] = .object(item)
        }
        return [
            "openapi": "3.1.0",
            "info": [
                "title": "Hookline",
                "version": "0.1.0",
                "description": "Self-hosted webhook engine for call tracking: report calls, leads and messages; Hookline renders each matching webhook's template and delivers it, retrying until the receiver accepts it.",
            ],
            "paths": .object(paths),
            "components": [
                "securitySchemes": [
                    "account": ["type": "http", "scheme": "bearer", "description": "An account's API key"],
                    "admin": ["type": "http", "scheme": "bearer", "description": "The admin key"],
                ],
                "schemas": .object(schemas(catalogue)),
            ],
        ]
    }

    static func describe(_ operation: Operation) -> JSONObject {
        var object: JSONObject = ["summary": .string(operation.summary)]
        object["operationId"] = .string(operationID(operation))
        switch operation.security {
        case .none: object["security"] = []
        case .admin: object["security"] = [["admin": []]]
        case .account: object["security"] = [["account": []]]
        }
        var parameters = operation.parameters
        for name in pathParameters(operation.path) {
            parameters.insert(["name": .string(name), "in": "path", "required": true, "schema": ["type": "string"]], at: 0)
        }
        if !parameters.isEmpty { object["parameters"] = .array(parameters) }
        if let body = operation.requestBody {
            object["requestBody"] = ["required": .bool(operation.requestBodyRequired), "content": ["application/json": ["schema": ref(body)]]]
        }
        var responses = JSONObject()
        for response in operation.responses {
            var description: JSONObject = ["description": .string(response.description)]
            if let schema = response.schema { description["content"] = ["application/json": ["schema": ref(schema)]] }
            responses[String(response.code)] = .object(description)
        }
        var errors = operation.errors
        if operation.security != .none { errors.append(401) }
        if operation.requestBody != nil { errors += [400, 413, 422] }
        for code in Set(errors).sorted() {
            responses[String(code)] = ["description": .string(errorDescriptions[code] ?? "Error"), "content": ["application/json": ["schema": ref("Error")]]]
        }
        object["responses"] = .object(responses)
        return object
    }

    static let errorDescriptions: [Int: String] = [
        400: "Bad input; `error.field` names the field at fault",
        401: "Missing or invalid key",
        403: "Refused: the provider's credentials (Roistat's md5 token, Envybox's key) do not match the source",
        404: "Not found (or another account's)",
        409: "Already exists, or still in use",
        413: "Body larger than 1 MiB",
        422: "Of the documented shape but unusable (a template that does not parse, a reference to something the account does not have), or an Idempotency-Key reused with another request; `error.field` names the field",
    ]

    static func operationID(_ operation: Operation) -> String {
        let words = operation.path.split(separator: "/").filter { !$0.hasPrefix("{") && $0 != "v1" }.map(String.init)
        return operation.method.lowercased() + words.map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
            .replacingOccurrences(of: ".", with: "").replacingOccurrences(of: "_", with: "")
            + (operation.path.hasSuffix("}") ? "ById" : "")
    }

    static func pathParameters(_ path: String) -> [String] {
        path.split(separator: "/").filter { $0.hasPrefix("{") }.map { String($0.dropFirst().dropLast()) }.reversed()
    }

    static func ref(_ name: String) -> JSONValue { ["$ref": .string("#/components/schemas/\(name)")] }

    static func query(_ name: String, _ description: String, _ schema: JSONValue = ["type": "string"]) -> JSONValue {
        ["name": .string(name), "in": "query", "required": false, "description": .string(description), "schema": schema]
    }

    static let pageParameters: [JSONValue] = [
        query("limit", "Items per page", ["type": "integer", "minimum": 1, "maximum": .integer(Int64(PageRequest.maximumLimit)), "default": 50]),
        query("cursor", "`next_cursor` of the previous page", ["type": "string", "minLength": 1]),
    ]

    static let idempotencyHeader: JSONValue = [
        "name": "Idempotency-Key", "in": "header", "required": false,
        "description": "Makes a repeat of this request a no-op that answers as the first time",
        "schema": ["type": "string", "pattern": "^[\\x21-\\x7E]{1,255}$"],
    ]

    static let operations: [Operation] = [
        Operation(method: "GET", path: "/openapi.json", summary: "This document", security: .none, responses: [(200, "OpenAPI 3.1 document", nil)]),
        Operation(method: "GET", path: "/healthz", summary: "Liveness: the process is up", security: .none, responses: [(200, "Up", "Status")]),
        Operation(method: "GET", path: "/readyz", summary: "Readiness: the store answers and the delivery workers run", security: .none,
                  responses: [(200, "Ready", "Readiness"), (503, "Not ready, with the problems", "Readiness")]),
        Operation(method: "GET", path: "/metrics", summary: "Prometheus metrics: events by kind, deliveries by outcome, attempt durations, pending and leased rows, failing endpoints",
                  security: .none, responses: [(200, "Prometheus text format", nil)]),
        Operation(method: "POST", path: "/v1/accounts", summary: "Create an account; its API key is shown only here", security: .admin,
                  requestBody: "AccountInput", responses: [(201, "Created", "AccountCreated")]),
        Operation(method: "GET", path: "/v1/accounts", summary: "List accounts", security: .admin, responses: [(200, "Accounts", "AccountList")]),
        Operation(method: "POST", path: "/v1/users", summary: "Add a person who signs in to the web UI (password stored with bcrypt)", security: .account,
                  requestBody: "UserInput", responses: [(201, "Created", "User")], errors: [409, 422]),
        Operation(method: "GET", path: "/v1/users", summary: "List the account's users", security: .account, responses: [(200, "Users", "UserList")]),
        Operation(method: "DELETE", path: "/v1/users/{id}", summary: "Remove a user and end their sessions", security: .account,
                  responses: [(204, "Deleted", nil)], errors: [404]),
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
        Operation(method: "GET", path: "/v1/tokens", summary: "The token catalogue, grouped by category", security: .account,
                  responses: [(200, "Catalogue", "TokenCatalogue")]),
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
        Operation(method: "POST", path: "/v1/webhooks", summary: "Create a webhook", security: .account, requestBody: "WebhookInput",
                  responses: [(201, "Created, with its signing secret (shown only here)", "WebhookWithSecret")]),
        Operation(method: "GET", path: "/v1/webhooks", summary: "List webhooks", security: .account, responses: [(200, "Webhooks", "WebhookList")]),
        Operation(method: "GET", path: "/v1/webhooks/{id}", summary: "A webhook", security: .account, responses: [(200, "Webhook", "Webhook")], errors: [404]),
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
        Operation(method: "POST", path: "/v1/templates", summary: "Save a template, written as a body or built from an example and a mapping of its fields to tokens",
                  security: .account, requestBody: "TemplateInput", responses: [(201, "Created", "Template")]),
        Operation(method: "GET", path: "/v1/templates", summary: "List templates", security: .account,
                  parameters: [query("group", "Only this group's")], responses: [(200, "Templates", "TemplateList")]),
        Operation(method: "POST", path: "/v1/templates/extract", summary: "The fields of an example document (JSON or XML), with their sample values",
                  security: .account, requestBody: "TemplateExample", responses: [(200, "Fields", "TemplateFields")]),
        Operation(method: "GET", path: "/v1/templates/{id}", summary: "A template", security: .account, responses: [(200, "Template", "Template")], errors: [404]),
        Operation(method: "PATCH", path: "/v1/templates/{id}", summary: "Change a template; every webhook that names it renders the new one",
                  security: .account, requestBody: "TemplatePatch", responses: [(200, "Updated", "Template")], errors: [404]),
        Operation(method: "DELETE", path: "/v1/templates/{id}", summary: "Delete a template no webhook names", security: .account,
                  responses: [(204, "Deleted", nil)], errors: [404, 409]),
        Operation(method: "GET", path: "/v1/presets", summary: "The built-in presets: Roistat call, Roistat CRM lead and message, Envybox",
                  security: .account, responses: [(200, "Presets", "PresetList")]),
        Operation(method: "POST", path: "/v1/locations", summary: "Create a location with its location_info tokens", security: .account,
                  requestBody: "LocationInput", responses: [(201, "Created", "Location")]),
        Operation(method: "GET", path: "/v1/locations", summary: "List locations", security: .account, responses: [(200, "Locations", "LocationList")]),
        Operation(method: "GET", path: "/v1/locations/{id}", summary: "A location", security: .account, responses: [(200, "Location", "Location")], errors: [404]),
        Operation(method: "PATCH", path: "/v1/locations/{id}", summary: "Change a location's values (null removes one)", security: .account,
                  requestBody: "LocationPatch", responses: [(200, "Updated", "Location")], errors: [404]),
        Operation(method: "DELETE", path: "/v1/locations/{id}", summary: "Delete a location no campaign uses and no webhook is enabled on", security: .account,
                  responses: [(204, "Deleted", nil)], errors: [404, 409]),
        Operation(method: "POST", path: "/v1/campaigns", summary: "Create an offline or DNI campaign with its tracking numbers", security: .account,
                  requestBody: "CampaignInput", responses: [(201, "Created", "Campaign")], errors: [409]),
        Operation(method: "GET", path: "/v1/campaigns", summary: "List campaigns", security: .account, responses: [(200, "Campaigns", "CampaignList")]),
        Operation(method: "GET", path: "/v1/campaigns/{id}", summary: "A campaign", security: .account, responses: [(200, "Campaign", "Campaign")], errors: [404]),
        Operation(method: "PATCH", path: "/v1/campaigns/{id}", summary: "Change a campaign", security: .account,
                  requestBody: "CampaignPatch", responses: [(200, "Updated", "Campaign")], errors: [404, 409]),
        Operation(method: "DELETE", path: "/v1/campaigns/{id}", summary: "Delete a campaign no webhook is enabled on", security: .account,
                  responses: [(204, "Deleted", nil)], errors: [404, 409]),
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
