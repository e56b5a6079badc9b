/// Validates an event document sent by a source against the catalogue, so that everything stored
/// and rendered later has the type its token promises.
public struct TokenValidator: Sendable {
    public let catalogue: TokenCatalogue

    public init(catalogue: TokenCatalogue = .standard) {
        self.catalogue = catalogue
    }

    /// Returns the document with values normalized (timestamps as UTC ISO 8601, numbers sent for
    /// text tokens as text). `extraKeys` are accepted as they are (identifiers the route handles).
    public func validate(_ body: JSONValue, for kind: EventKind, extraKeys: Set<String> = []) throws(FieldError) -> JSONObject {
        guard let object = body.objectValue else {
            throw FieldError("body", "must be a JSON object keyed by token names, not \(body.typeName)")
        }
        var result = JSONObject()
        for (key, value) in object {
            if extraKeys.contains(key) {
                result[key] = value
                continue
            }
            guard let token = catalogue[key] else {
                let nearest = catalogue.nearestNames(to: key)
                let hint = nearest.isEmpty ? "" : "; did you mean \(nearest.map { "'\($0)'" }.joined(separator: ", "))?"
                throw FieldError(key, "unknown token '\(Echo.quoted(key))'\(hint)")
            }
            guard kind.acceptedCategories.contains(token.category) else {
                let owner = EventKind.reported.first { $0.acceptedCategories.contains(token.category) }
                throw FieldError(key, "'\(key)' is a \(token.category.rawValue) token and is not accepted here" + (owner.map { "; send it to \($0.endpointHint)" } ?? ""))
            }
            result[key] = try normalize(value, for: token)
        }
        return result
    }

    public func normalize(_ value: JSONValue, for token: Token) throws(FieldError) -> JSONValue {
        if value.isNull { return .null }
        let field = token.name
        switch token.type {
        case .string:
            let text: String
            switch value {
            case .string(let string): text = string
            // Phone numbers and IDs often arrive as JSON numbers; they are still text.
            case .integer(let number): text = String(number)
            default: throw FieldError(field, "must be a string, not \(value.typeName)")
            }
            if let allowed = token.allowedValues, !allowed.contains(text) {
                throw FieldError(field, "must be one of \(allowed.joined(separator: ", ")), not '\(Echo.quoted(text))'")
            }
            return .string(text)
        case .identifier:
            switch value {
            case .string(let text) where !text.isEmpty: return value
            case .integer: return value
            default: throw FieldError(field, "must be a non-empty string or a whole number, not \(value.typeName)")
            }
        case .integer:
            guard let number = value.integerValue else { throw FieldError(field, "must be an integer, not \(value.typeName)") }
            if let range = token.range, !range.contains(number) {
                throw FieldError(field, range.upperBound == Int64.max ? "must be \(range.lowerBound) or more" : "must be from \(range.lowerBound) to \(range.upperBound)")
            }
            return .integer(number)
        case .decimal:
            guard let number = value.numberValue else { throw FieldError(field, "must be a number, not \(value.typeName)") }
            return .decimal(number)
        case .boolean:
            guard case .bool = value else { throw FieldError(field, "must be true or false, not \(value.typeName)") }
            return value
        case .timestamp:
            guard let text = value.stringValue else { throw FieldError(field, "must be a timestamp string, not \(value.typeName)") }
            guard let timestamp = Timestamp(parsing: text) else {
                throw FieldError(field, "'\(Echo.quoted(text))' is not a timestamp; use ISO 8601 such as 2019-03-28T00:05:00.000Z")
            }
            return .string(timestamp.iso8601)
        case .object:
            guard case .object = value else { throw FieldError(field, "must be an object, not \(value.typeName)") }
            return value
        case .array:
            guard case .array = value else { throw FieldError(field, "must be an array, not \(value.typeName)") }
            return value
        }
    }
}
