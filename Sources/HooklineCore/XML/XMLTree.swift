/// An XML element (a tree) as templates and example documents need it: name, attributes in order, and
/// children (elements and text). Comments, processing instructions and the declaration are kept
/// out; CDATA becomes text.
public struct XMLTree: Sendable {
    public enum Child: Sendable {
        case element(XMLTree)
        case text(String)
    }

    public var name: String
    public var attributes: [(name: String, value: String)]
    public var children: [Child]

    public init(name: String, attributes: [(name: String, value: String)] = [], children: [Child] = []) {
        self.name = name
        self.attributes = attributes
        self.children = children
    }

    public var elements: [XMLTree] {
        children.compactMap { if case .element(let element) = $0 { element } else { nil } }
    }

    /// The text directly inside the element.
    public var text: String {
        children.map { if case .text(let text) = $0 { text } else { "" } }.joined()
    }
}

/// Reads XML 1.0 documents (one root element; no DTDs), reporting errors with line and column.
public struct XMLReader {
    public typealias SyntaxError = JSONParser.SyntaxError

    /// The reader recurses per element, so depth is bounded as JSON's is: a deeper document is an
    /// error, never a stack overflow.
    public static let maximumDepth = JSONParser.maximumDepth

    private let scalars: [Unicode.Scalar]
    private var index = 0
    private var rootStart = 0

    public static func parse(_ text: String) throws(SyntaxError) -> XMLTree {
        try parseDocument(text).root
    }

    /// The root element, and the text before it as written (declaration, comments).
    public static func parseDocument(_ text: String) throws(SyntaxError) -> (prolog: String, root: XMLTree) {
        var reader = XMLReader(scalars: Array(text.unicodeScalars))
        let root = try reader.document()
        var prolog = ""
        prolog.unicodeScalars.append(contentsOf: reader.scalars[..<reader.rootStart].drop { $0 == "\u{FEFF}" })
        return (prolog, root)
    }

    private init(scalars: [Unicode.Scalar]) {
        self.scalars = scalars
    }

    private func error(_ message: String, at position: Int? = nil) -> SyntaxError {
        var line = 1
        var column = 1
        for scalar in scalars[..<min(position ?? index, scalars.count)] {
            if scalar == "\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return SyntaxError(message: message, line: line, column: column)
    }

    private var atEnd: Bool { index >= scalars.count }
    private func peek(_ text: String) -> Bool {
        var position = index
        for scalar in text.unicodeScalars {
            guard position < scalars.count, scalars[position] == scalar else { return false }
            position += 1
        }
        return true
    }

    private mutating func skipSpace() {
        while !atEnd, " \t\r\n".unicodeScalars.contains(scalars[index]) { index += 1 }
    }

    private mutating func skip(until terminator: String, what: String) throws(SyntaxError) {
        let start = index
        while !atEnd, !peek(terminator) { index += 1 }
        guard !atEnd else { throw error("unterminated \(what)", at: start) }
        index += terminator.unicodeScalars.count
    }

    /// Declaration, comments, processing instructions and a doctype-free prolog, one root, then
    /// only comments and space.
    private mutating func document() throws(SyntaxError) -> XMLTree {
        if scalars.first == "\u{FEFF}" { index = 1 }
        try skipMisc()
        guard !atEnd else { throw error("expected a root element, found the end of the document") }
        guard peek("<"), !peek("</") else { throw error("expected a root element '<name>'") }
        if peek("<!DOCTYPE") { throw error("DOCTYPE declarations are not supported") }
        rootStart = index
        let root = try element(depth: 0)
        try skipMisc()
        guard atEnd else { throw error("unexpected content after the root element") }
        return root
    }

    private mutating func skipMisc() throws(SyntaxError) {
        while true {
            skipSpace()
            if peek("<?") {
                try skip(until: "?>", what: "processing instruction")
            } else if peek("<!--") {
                try skip(until: "-->", what: "comment")
            } else {
                return
            }
        }
    }

    private static func isNameStart(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "_" || scalar == ":" || ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || scalar.value >= 0xC0
    }

    private static func isNameScalar(_ scalar: Unicode.Scalar) -> Bool {
        isNameStart(scalar) || scalar == "-" || scalar == "." || ("0"..."9").contains(scalar) || scalar.value == 0xB7
    }

    public static func isName(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, isNameStart(first), !text.lowercased().hasPrefix("xml") else { return false }
        return text.unicodeScalars.allSatisfy(isNameScalar)
    }

    private mutating func name() throws(SyntaxError) -> String {
        guard !atEnd, Self.isNameStart(scalars[index]) else { throw error("expected a name") }
        var name = ""
        while !atEnd, Self.isNameScalar(scalars[index]) {
            name.unicodeScalars.append(scalars[index])
            index += 1
        }
        return name
    }

    private mutating func element(depth: Int) throws(SyntaxError) -> XMLTree {
        let start = index
        guard depth < Self.maximumDepth else { throw error("elements nested deeper than \(Self.maximumDepth) levels") }
        index += 1  // <
        let name = try name()
        var attributes: [(name: String, value: String)] = []
        while true {
            let beforeSpace = index
            skipSpace()
            guard !atEnd else { throw error("unterminated start tag <\(name)>", at: start) }
            if peek("/>") {
                index += 2
                return XMLTree(name: name, attributes: attributes)
            }
            if peek(">") {
                index += 1
                break
            }
            guard index > beforeSpace else { throw error("expected space, '>' or '/>' in <\(name)>") }
            let attributePosition = index
            let attribute = try self.name()
            skipSpace()
            guard peek("=") else { throw error("expected '=' after attribute \(attribute)") }
            index += 1
            skipSpace()
            guard !atEnd, scalars[index] == "\"" || scalars[index] == "'" else { throw error("expected a quoted value for attribute \(attribute)") }
            let quote = scalars[index]
            index += 1
            let value = try characterData(until: quote, what: "attribute value")
            index += 1
            guard !attributes.contains(where: { $0.name == attribute }) else {
                throw error("attribute \(attribute) appears twice", at: attributePosition)
            }
            attributes.append((attribute, value))
        }
        var children: [XMLTree.Child] = []
        var text = ""
        func flush() {
            if !text.isEmpty { children.append(.text(text)) }
            text = ""
        }
        while true {
            guard !atEnd else { throw error("element <\(name)> is not closed", at: start) }
            if peek("</") {
                let closingStart = index
                index += 2
                let closing = try self.name()
                guard closing == name else { throw error("closing tag </\(closing)> does not match <\(name)>", at: closingStart) }
                skipSpace()
                guard peek(">") else { throw error("expected '>' to close </\(closing)>") }
                index += 1
                flush()
                return XMLTree(name: name, attributes: attributes, children: children)
            } else if peek("<!--") {
                try skip(until: "-->", what: "comment")
            } else if peek("<![CDATA[") {
                index += 9
                let begin = index
                try skip(until: "]]>", what: "CDATA section")
                text.unicodeScalars.append(contentsOf: scalars[begin..<(index - 3)])
            } else if peek("<?") {
                try skip(until: "?>", what: "processing instruction")
            } else if peek("<") {
                flush()
                children.append(.element(try element(depth: depth + 1)))
            } else {
                text += try characterData(until: "<", what: "text")
            }
        }
    }

    /// Text up to `terminator` (not consumed), with references resolved and line ends normalized.
    private mutating func characterData(until terminator: Unicode.Scalar, what: String) throws(SyntaxError) -> String {
        let start = index
        var output = ""
        while true {
            guard !atEnd else { throw error("unterminated \(what)", at: start) }
            let scalar = scalars[index]
            if scalar == terminator { return output }
            if scalar == "<" { throw error("'<' is not allowed in \(what)") }
            if scalar == "&" {
                output.unicodeScalars.append(try reference())
                continue
            }
            if scalar == "\r" {
                output += "\n"
                index += 1
                if !atEnd, scalars[index] == "\n" { index += 1 }
                continue
            }
            output.unicodeScalars.append(scalar)
            index += 1
        }
    }

    private mutating func reference() throws(SyntaxError) -> Unicode.Scalar {
        let start = index
        index += 1
        var body = ""
        while !atEnd, scalars[index] != ";", body.count < 12 {
            body.unicodeScalars.append(scalars[index])
            index += 1
        }
        guard !atEnd, scalars[index] == ";" else { throw error("'&' must start a reference such as &amp;", at: start) }
        index += 1
        switch body {
        case "lt": return "<"
        case "gt": return ">"
        case "amp": return "&"
        case "quot": return "\""
        case "apos": return "'"
        default:
            var number: UInt32?
            if body.hasPrefix("#x") {
                number = UInt32(body.dropFirst(2), radix: 16)
            } else if body.hasPrefix("#") {
                number = UInt32(body.dropFirst(1))
            }
            guard let number, let scalar = Unicode.Scalar(number) else { throw error("unknown reference &\(body);", at: start) }
            return scalar
        }
    }
}

/// Writes XML text, escaping what must be escaped.
public enum XMLWriter {
    /// Characters XML 1.0 cannot carry at all become U+FFFD; carriage returns (and, in attributes,
    /// line feeds and tabs) are written as references so a parser gives them back instead of
    /// normalizing them.
    public static func escapeText(_ text: String, to output: inout String) { escape(text, attribute: false, to: &output) }

    public static func escapeAttribute(_ text: String, to output: inout String) { escape(text, attribute: true, to: &output) }

    private static func escape(_ text: String, attribute: Bool, to output: inout String) {
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": output += "&amp;"
            case "<": output += "&lt;"
            case ">" where !attribute: output += "&gt;"
            case "\"" where attribute: output += "&quot;"
            case "\r": output += "&#13;"
            case "\n" where attribute: output += "&#10;"
            case "\t" where attribute: output += "&#9;"
            default: append(scalar, to: &output)
            }
        }
    }

    private static func append(_ scalar: Unicode.Scalar, to output: inout String) {
        let value = scalar.value
        let allowed = value == 0x9 || value == 0xA || (value >= 0x20 && value != 0xFFFE && value != 0xFFFF)
        output.unicodeScalars.append(allowed ? scalar : "\u{FFFD}")
    }

    /// A JSON value as XML content: objects become child elements named by their keys (a key that
    /// is not an XML name becomes `<field name="…">`), arrays repeat `<item>`, null is empty.
    public static func writeValue(_ value: JSONValue, to output: inout String) {
        switch value {
        case .null: break
        case .object(let object):
            for (key, element) in object {
                if XMLReader.isName(key) {
                    output += "<\(key)>"
                    writeValue(element, to: &output)
                    output += "</\(key)>"
                } else {
                    output += "<field name=\""
                    escapeAttribute(key, to: &output)
                    output += "\">"
                    writeValue(element, to: &output)
                    output += "</field>"
                }
            }
        case .array(let elements):
            for element in elements {
                output += "<item>"
                writeValue(element, to: &output)
                output += "</item>"
            }
        default:
            escapeText(TemplateText.text(of: value), to: &output)
        }
    }
}
