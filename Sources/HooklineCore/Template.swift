/// The payload formats a template can produce.
public enum TemplateFormat: String, Sendable, CaseIterable, Codable {
    case json

    public var contentType: String {
        switch self {
        case .json: "application/json"
        }
    }
}

/// A template as a user writes it: a format and a body with `%token%` placeholders.
public struct Template: Sendable, Hashable, Codable {
    public var format: TemplateFormat
    public var body: String

    public init(format: TemplateFormat, body: String) {
        self.format = format
        self.body = body
    }

    /// Parses and checks the template once, when it is saved.
    public func compile(catalogue: TokenCatalogue = .standard) throws(TemplateError) -> CompiledTemplate {
        let root: JSONTemplateNode
        do {
            root = JSONTemplateNode(try JSONParser.parse(body))
        } catch {
            throw .syntax(message: error.message, line: error.line, column: error.column)
        }
        for name in root.tokenNames where catalogue[name] == nil {
            throw .unknownToken(name: name, nearest: catalogue.nearestNames(to: name))
        }
        return CompiledTemplate(format: format, root: root)
    }
}

public enum TemplateError: Error, Sendable, Equatable, CustomStringConvertible {
    case syntax(message: String, line: Int, column: Int)
    case unknownToken(name: String, nearest: [String])

    public var description: String {
        switch self {
        case .syntax(let message, let line, let column):
            "syntax error at line \(line), column \(column): \(message)"
        case .unknownToken(let name, let nearest):
            "unknown token '%\(name)%'" + (nearest.isEmpty ? "" : "; nearest known: \(nearest.joined(separator: ", "))")
        }
    }
}

/// A template checked and ready to render many times.
public struct CompiledTemplate: Sendable {
    public let format: TemplateFormat
    let root: JSONTemplateNode

    public var tokenNames: [String] { root.tokenNames }

    public func render(_ values: JSONObject) -> [UInt8] {
        root.render(values).jsonBytes
    }
}

/// A JSON template as a tree. A string that is exactly one placeholder takes the token's value
/// with its type (a number stays a number, a missing value is `null`, nested values stay nested);
/// a string with text around placeholders is interpolated as a string.
indirect enum JSONTemplateNode: Sendable {
    case constant(JSONValue)
    case text(TemplateText)
    case array([JSONTemplateNode])
    case object([(key: TemplateText, value: JSONTemplateNode)])

    init(_ value: JSONValue) {
        switch value {
        case .string(let string):
            let text = TemplateText(parsing: string)
            self = text.hasTokens ? .text(text) : .constant(.string(text.interpolate(JSONObject())))
        case .array(let elements):
            self = .array(elements.map(JSONTemplateNode.init))
        case .object(let object):
            self = .object(object.map { (key: TemplateText(parsing: $0.key), value: JSONTemplateNode($0.value)) })
        default:
            self = .constant(value)
        }
    }

    var tokenNames: [String] {
        switch self {
        case .constant: []
        case .text(let text): text.tokenNames
        case .array(let elements): elements.flatMap(\.tokenNames)
        case .object(let fields): fields.flatMap { $0.key.tokenNames + $0.value.tokenNames }
        }
    }

    func render(_ values: JSONObject) -> JSONValue {
        switch self {
        case .constant(let value):
            return value
        case .text(let text):
            if let name = text.soleToken { return values[name] ?? .null }
            return .string(text.interpolate(values))
        case .array(let elements):
            return .array(elements.map { $0.render(values) })
        case .object(let fields):
            var object = JSONObject()
            for field in fields { object[field.key.interpolate(values)] = field.value.render(values) }
            return .object(object)
        }
    }
}
