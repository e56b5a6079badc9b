import HooklineCore
import HooklineStore

/// Saved templates in the API document.
extension OpenAPIDocument {
    static var templateSchemas: [(String, JSONValue)] {
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

    /// Its routes, in the order the document lists them.
    static let templateOperations: [Operation] = [
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
    ]
}
