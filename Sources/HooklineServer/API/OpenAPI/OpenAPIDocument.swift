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
        for operation in operations {
            var item = paths[operation.path]?.objectValue ?? JSONObject()
            item[operation.method.lowercased()] = .object(describe(operation))
            paths[operation.path] = .object(item)
        }
        return [
            "openapi": "3.1.0",
            "info": [
                "title": "Hookline",
                "version": "0.1.0",
                "description": "Self-hosted webhook engine for call tracking: report calls, leads and messages; Hookline renders each matching webhook's template and delivers it, retrying until the receiver accepts it. A delivery renders its call or lead as it was when its event happened (its subject_version): a replay sends what was sent, call.updated renders the call as updated, and a held call.end renders the call as it was when its hold ended.",
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

    /// Every route, resource by resource (each resource's list lives beside its controller).
    static let operations: [Operation] = [
        documentOperations, probeOperations, accountOperations, userOperations, sourceOperations, tokenOperations, ingestOperations,
        webhookOperations, templateOperations, presetOperations, locationOperations, campaignOperations, deliveryOperations, placementOperations,
        replayOperations, channelOperations,
    ].flatMap { $0 }
}
