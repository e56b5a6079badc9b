/// What a receiver's answer must say, beyond its status code, for a delivery to count as
/// delivered (Roistat's CRM webhook is delivered only when the answer is `{"status": "ok"}`).
public struct AnswerRule: Sendable, Hashable, Codable {
    public var path: JSONPath
    public var equals: JSONValue

    public init(path: JSONPath, equals: JSONValue) {
        self.path = path
        self.equals = equals
    }

    /// Why the answer fails the rule, or `nil` when it passes.
    public func problem(with answer: JSONValue?) -> String? {
        guard let answer else { return "the answer is not JSON; expected \(path) = \(equals.jsonText)" }
        guard let found = path.value(in: answer) else { return "the answer has no \(path); expected \(equals.jsonText)" }
        return found == equals ? nil : "the answer has \(path) = \(found.jsonText), expected \(equals.jsonText)"
    }
}

/// A value taken from a receiver's answer and kept on the call or lead as a token, so later
/// webhooks of that call render it (Roistat's `order_id`).
public struct AnswerCapture: Sendable, Hashable, Codable {
    public var path: JSONPath
    public var token: String

    public init(path: JSONPath, token: String) {
        self.path = path
        self.token = token
    }

    /// The captured values an answer holds, typed by the catalogue; values of the wrong type are
    /// left out rather than stored.
    public static func values(_ captures: [AnswerCapture], from answer: JSONValue?, catalogue: TokenCatalogue = .standard) -> JSONObject {
        var values = JSONObject()
        guard let answer else { return values }
        let validator = TokenValidator(catalogue: catalogue)
        for capture in captures {
            guard let value = capture.path.value(in: answer), !value.isNull, let token = catalogue[capture.token],
                let normalized = try? validator.normalize(value, for: token)
            else { continue }
            values[capture.token] = normalized
        }
        return values
    }
}

extension JSONPath: Codable {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do {
            try self.init(parsing: text)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// Stored as its JSON text, which keeps key order and number types exactly.
extension JSONValue: Codable {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do {
            self = try JSONParser.parse(text)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(jsonText)
    }
}
