import Foundation

/// The payload formats a template can produce.
public enum TemplateFormat: String, Sendable, CaseIterable, Codable {
    case json
    case xml
    /// An `application/x-www-form-urlencoded` body.
    case form
    /// Parameters appended to the URL, with no body (for GET).
    case query

    /// The Content-Type of the body; `nil` when there is no body.
    public var contentType: String? {
        switch self {
        case .json: "application/json"
        case .xml: "application/xml"
        case .form: "application/x-www-form-urlencoded"
        case .query: nil
        }
    }
}

extension TemplateFormat {
    /// A format named in an API body.
    public init(json value: JSONValue?, field: String) throws(FieldError) {
        guard let name = value?.stringValue else { throw FieldError(field, "is required") }
        guard let format = TemplateFormat(rawValue: name) else {
            throw FieldError(field, "must be one of \(TemplateFormat.allCases.map(\.rawValue).joined(separator: ", ")), not '\(Echo.quoted(name))'")
        }
        self = format
    }
}

/// A template as a user writes it: a format and a body with `%token%` placeholders.
///
/// Form and query bodies are `name=value` pairs separated by `&` or line breaks; literal text may
/// be percent-encoded (`%26` for a literal `&`), and every value is encoded when rendered.
public struct Template: Sendable, Hashable, Codable {
    public var format: TemplateFormat
    public var body: String

    public init(format: TemplateFormat, body: String) {
        self.format = format
        self.body = body
    }

    /// Parses and checks the template once, when it is saved.
    public func compile(catalogue: TokenCatalogue = .standard) throws(TemplateError) -> CompiledTemplate {
        let content: CompiledTemplate.Content
        do {
            switch format {
            case .json: content = .json(JSONTemplateNode(try JSONParser.parse(body)))
            case .xml:
                let document = try XMLReader.parseDocument(body)
                content = .xml(prolog: document.prolog, root: XMLTemplateNode(document.root))
            case .form, .query: content = .pairs(try FormTemplatePair.parse(body))
            }
        } catch {
            throw .syntax(message: error.message, line: error.line, column: error.column)
        }
        let compiled = CompiledTemplate(format: format, content: content)
        for text in compiled.texts { try text.check(against: catalogue) }
        return compiled
    }
}

public enum TemplateError: Error, Sendable, Equatable, CustomStringConvertible {
    case syntax(message: String, line: Int, column: Int)
    case unknownToken(name: String, nearest: [String])
    case unknownFormat(name: String)
    case misappliedFormat(name: String, token: String, type: TokenType)

    public var description: String {
        switch self {
        case .syntax(let message, let line, let column):
            "syntax error at line \(line), column \(column): \(message)"
        case .unknownToken(let name, let nearest):
            "unknown token '%\(Echo.quoted(name))%'" + (nearest.isEmpty ? "" : "; nearest known: \(nearest.joined(separator: ", "))")
        case .misappliedFormat(let name, let token, let type):
            "format '|\(Echo.quoted(name))' applies to timestamps; '\(token)' is \(type == .integer || type == .identifier ? "an" : "a") \(type.rawValue)"
        case .unknownFormat(let name):
            "unknown format '|\(Echo.quoted(name))'; formats are \(ValueFormat.allCases.map(\.rawValue).joined(separator: ", "))"
        }
    }
}

/// A template checked and ready to render many times.
public struct CompiledTemplate: Sendable {
    enum Content: Sendable {
        case json(JSONTemplateNode)
        case xml(prolog: String, root: XMLTemplateNode)
        case pairs([FormTemplatePair])
    }

    public let format: TemplateFormat
    let content: Content

    /// Every piece of text with placeholders, for checking.
    var texts: [TemplateText] {
        switch content {
        case .json(let root): root.texts
        case .xml(_, let root): root.texts
        case .pairs(let pairs): pairs.flatMap { [$0.name, $0.value] }
        }
    }

    public var tokenNames: [String] { texts.flatMap(\.tokenNames) }

    /// The document: a JSON or XML body, a form body, or for `query` the query string.
    public func render(_ values: JSONObject) -> [UInt8] {
        switch content {
        case .json(let root):
            return root.render(values).jsonBytes
        case .xml(let prolog, let root):
            var output = prolog
            root.render(values, to: &output)
            return Array(output.utf8)
        case .pairs(let pairs):
            let encoding: FormEncoding = format == .query ? .query : .form
            let text = pairs.map { pair in
                let value = pair.value.soleValue(values).map(TemplateText.text(of:)) ?? pair.value.interpolate(values)
                return encoding.encode(pair.name.interpolate(values)) + "=" + encoding.encode(value)
            }.joined(separator: "&")
            return Array(text.utf8)
        }
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

    var texts: [TemplateText] {
        switch self {
        case .constant: []
        case .text(let text): [text]
        case .array(let elements): elements.flatMap(\.texts)
        case .object(let fields): fields.flatMap { [$0.key] + $0.value.texts }
        }
    }

    func render(_ values: JSONObject) -> JSONValue {
        switch self {
        case .constant(let value):
            return value
        case .text(let text):
            return text.soleValue(values) ?? .string(text.interpolate(values))
        case .array(let elements):
            return .array(elements.map { $0.render(values) })
        case .object(let fields):
            var object = JSONObject()
            for field in fields { object[field.key.interpolate(values)] = field.value.render(values) }
            return .object(object)
        }
    }
}

/// An XML template as a tree. Text that is one placeholder (space around it aside) holding a
/// nested value becomes child elements; all other text is escaped.
indirect enum XMLTemplateNode: Sendable {
    case element(name: String, attributes: [(name: String, value: TemplateText)], children: [XMLTemplateNode])
    case text(TemplateText)

    init(_ element: XMLTree) {
        self = .element(
            name: element.name,
            attributes: element.attributes.map { ($0.name, TemplateText(parsing: $0.value)) },
            children: element.children.map { child in
                switch child {
                case .element(let element): XMLTemplateNode(element)
                case .text(let text): .text(TemplateText(parsing: text))
                }
            })
    }

    var texts: [TemplateText] {
        switch self {
        case .element(_, let attributes, let children): attributes.map(\.value) + children.flatMap(\.texts)
        case .text(let text): [text]
        }
    }

    func render(_ values: JSONObject, to output: inout String) {
        switch self {
        case .element(let name, let attributes, let children):
            output += "<" + name
            for attribute in attributes {
                output += " \(attribute.name)=\""
                XMLWriter.escapeAttribute(attribute.value.interpolate(values), to: &output)
                output += "\""
            }
            guard !children.isEmpty else {
                output += "/>"
                return
            }
            output += ">"
            for child in children { child.render(values, to: &output) }
            output += "</\(name)>"
        case .text(let text):
            let segments = text.segments
            // Space around a sole placeholder is layout, kept as written.
            let tokens = segments.filter { if case .token = $0 { true } else { false } }
            let layoutOnly = segments.allSatisfy { segment in
                if case .literal(let literal) = segment { return literal.allSatisfy(\.isWhitespace) }
                return true
            }
            if tokens.count == 1, layoutOnly {
                for segment in segments {
                    switch segment {
                    case .literal(let literal): output += literal
                    case .token: XMLWriter.writeValue(TemplateText(segments: [segment]).soleValue(values) ?? .null, to: &output)
                    }
                }
            } else {
                XMLWriter.escapeText(text.interpolate(values), to: &output)
            }
        }
    }
}

/// One `name=value` pair of a form or query template.
struct FormTemplatePair: Sendable {
    let name: TemplateText
    let value: TemplateText

    static func parse(_ body: String) throws(JSONParser.SyntaxError) -> [FormTemplatePair] {
        var pairs: [FormTemplatePair] = []
        var line = 1
        var column = 1
        var current = ""
        var start = (line: 1, column: 1)
        func finish() throws(JSONParser.SyntaxError) {
            defer { current = "" }
            let trimmed = current.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else { return }
            guard let equals = trimmed.firstIndex(of: "=") else {
                throw JSONParser.SyntaxError(message: "expected name=value, found '\(trimmed.prefix(40))'", line: start.line, column: start.column)
            }
            let name = String(trimmed[..<equals])
            guard !name.isEmpty else {
                throw JSONParser.SyntaxError(message: "a parameter needs a name before '='", line: start.line, column: start.column)
            }
            pairs.append(FormTemplatePair(name: TemplateText(parsing: name).percentDecoded, value: TemplateText(parsing: String(trimmed[trimmed.index(after: equals)...])).percentDecoded))
        }
        for character in body {
            if character == "&" || character.isNewline {
                try finish()
                if character.isNewline {
                    line += 1
                    column = 1
                } else {
                    column += 1
                }
                start = (line, column)
                continue
            }
            current.append(character)
            column += 1
        }
        try finish()
        guard !pairs.isEmpty else { throw JSONParser.SyntaxError(message: "expected at least one name=value pair", line: 1, column: 1) }
        return pairs
    }
}

extension TemplateText {
    init(segments: [Segment]) {
        self.segments = segments
    }

    /// Literal text with `%XX` escapes decoded, as pasted from a URL or form body.
    var percentDecoded: TemplateText {
        TemplateText(segments: segments.map { segment in
            if case .literal(let text) = segment { return .literal(text.removingPercentEncoding ?? text) }
            return segment
        })
    }
}

/// Percent-encoding of names and values: `form` writes a space as `+`
/// (application/x-www-form-urlencoded), `query` as `%20`.
public enum FormEncoding: Sendable {
    case form, query

    public func encode(_ text: String) -> String {
        var output = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                output.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: " ") where self == .form:
                output += "+"
            default:
                output += "%" + Hex.encode(CollectionOfOne(byte), uppercase: true)
            }
        }
        return output
    }

    /// Decodes `name=value&…` pairs as a receiver would.
    public func decode(_ text: String) -> [(name: String, value: String)] {
        guard !text.isEmpty else { return [] }
        return text.split(separator: "&", omittingEmptySubsequences: false).map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decoded(_ part: Substring) -> String {
                let spaced = self == .form ? part.replacingOccurrences(of: "+", with: " ") : String(part)
                return spaced.removingPercentEncoding ?? spaced
            }
            return (decoded(parts[0]), parts.count > 1 ? decoded(parts[1]) : "")
        }
    }
}
