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
}
