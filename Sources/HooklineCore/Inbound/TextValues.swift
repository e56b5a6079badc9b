/// Parameters that arrive as text (a form, a query string), typed as the catalogue's tokens
/// expect: whole numbers, JSON for arrays and objects. An empty parameter is null: the provider
/// says the field has no value now, which replaces what an earlier request said of it.
enum TextValues {
    static func typed(_ text: String, token: String, catalogue: TokenCatalogue = .standard) -> JSONValue? {
        guard !text.isEmpty else { return .null }
        switch catalogue[token]?.type {
        case .integer: return Int64(text).map(JSONValue.integer) ?? .string(text)
        case .decimal: return Double(text).map(JSONValue.decimal) ?? .string(text)
        case .boolean: return text == "1" || text == "true" ? .bool(true) : text == "0" || text == "false" ? .bool(false) : .string(text)
        case .array, .object: return (try? JSONParser.parse(text)) ?? .string(text)
        default: return .string(text)
        }
    }

    static func values(_ pairs: [(name: String, value: String)], fields: [(field: String, token: String)]) -> JSONObject {
        var values = JSONObject()
        for (field, token) in fields {
            guard let text = pairs.first(where: { $0.name == field })?.value, let value = typed(text, token: token) else { continue }
            values[token] = value
        }
        return values
    }
}
