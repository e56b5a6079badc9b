import Foundation

/// Building a template the way call-tracking products do: paste an example document, get its
/// fields, map each field to a token. Paths are JSON paths (`$.lead.phone`, `$.items[0]`) for
/// JSON and slash paths (`/lead/phone`, `/lead/@id`, `/lead/item[2]`) for XML.
public enum TemplateExtraction {
    public struct Field: Sendable, Hashable {
        public var path: String
        public var sample: JSONValue
    }

    public static func fields(of example: String, format: TemplateFormat) throws(TemplateError) -> [Field] {
        switch format {
        case .json:
            var fields: [Field] = []
            walk(try parseJSON(example), steps: []) { steps, value in fields.append(Field(path: JSONPath(steps: steps).description, sample: value)) }
            return fields
        case .xml:
            var fields: [Field] = []
            let root = try parseXML(example).root
            walk(root, path: "/" + root.name) { path, text in fields.append(Field(path: path, sample: .string(text))) }
            return fields
        case .form, .query:
            throw .syntax(message: "fields are extracted from JSON or XML examples", line: 1, column: 1)
        }
    }

    /// The example with each mapped field replaced by its token; unmapped fields keep their
    /// sample value.
    public static func template(fromExample example: String, format: TemplateFormat, mapping: [(path: String, token: String)], catalogue: TokenCatalogue = .standard)
        throws(FieldError) -> Template
    {
        let known: [Field]
        do {
            known = try fields(of: example, format: format)
        } catch {
            throw FieldError("example", error.description, kind: .unusable)
        }
        var tokens: [String: String] = [:]
        for (path, token) in mapping {
            guard known.contains(where: { $0.path == path }) else {
                throw FieldError(
                    "mapping.\(path)", "no such field in the example; its fields are \(known.prefix(20).map(\.path).joined(separator: ", "))", kind: .unusable)
            }
            guard catalogue[token] != nil else { throw FieldError("mapping.\(path)", catalogue.unknownTokenMessage(token), kind: .unusable) }
            tokens[path] = "%\(token)%"
        }
        do throws(TemplateError) {
            switch format {
            case .json:
                return Template(format: .json, body: replaced(try parseJSON(example), steps: [], tokens: tokens).jsonText)
            case .xml:
                let document = try parseXML(example)
                var output = document.prolog
                write(document.root, path: "/" + document.root.name, tokens: tokens, to: &output)
                return Template(format: .xml, body: output)
            case .form, .query:
                throw TemplateError.syntax(message: "templates are built from JSON or XML examples", line: 1, column: 1)
            }
        } catch {
            throw FieldError("example", error.description, kind: .unusable)
        }
    }

    private static func parseJSON(_ text: String) throws(TemplateError) -> JSONValue {
        do {
            return try JSONParser.parse(text)
        } catch {
            throw .syntax(message: error.message, line: error.line, column: error.column)
        }
    }

    private static func parseXML(_ text: String) throws(TemplateError) -> (prolog: String, root: XMLTree) {
        do {
            return try XMLReader.parseDocument(text)
        } catch {
            throw .syntax(message: error.message, line: error.line, column: error.column)
        }
    }

    /// A sample's literal `%` written so the template does not read it as a placeholder.
    private static func literal(_ text: String) -> String {
        text.replacingOccurrences(of: "%", with: "%%")
    }

    // MARK: JSON

    private static func walk(_ value: JSONValue, steps: [JSONPath.Step], visit: (_ steps: [JSONPath.Step], _ value: JSONValue) -> Void) {
        switch value {
        case .object(let object) where !object.isEmpty:
            for (key, element) in object { walk(element, steps: steps + [.key(key)], visit: visit) }
        case .array(let elements) where !elements.isEmpty:
            for (index, element) in elements.enumerated() { walk(element, steps: steps + [.index(index)], visit: visit) }
        default:
            visit(steps, value)
        }
    }

    private static func replaced(_ value: JSONValue, steps: [JSONPath.Step], tokens: [String: String]) -> JSONValue {
        switch value {
        case .object(let object) where !object.isEmpty:
            return .object(JSONObject(object.map { ($0.key, replaced($0.value, steps: steps + [.key($0.key)], tokens: tokens)) }))
        case .array(let elements) where !elements.isEmpty:
            return .array(elements.enumerated().map { replaced($0.element, steps: steps + [.index($0.offset)], tokens: tokens) })
        case .string(let text):
            return .string(tokens[JSONPath(steps: steps).description] ?? literal(text))
        default:
            return tokens[JSONPath(steps: steps).description].map(JSONValue.string) ?? value
        }
    }

    // MARK: XML

    /// Child paths: a name repeated among its siblings gets a 1-based position.
    private static func childPaths(of element: XMLTree, path: String) -> [String] {
        let names = element.elements.map(\.name)
        var seen: [String: Int] = [:]
        return names.map { name in
            seen[name, default: 0] += 1
            return names.filter { $0 == name }.count > 1 ? "\(path)/\(name)[\(seen[name]!)]" : "\(path)/\(name)"
        }
    }

    private static func walk(_ element: XMLTree, path: String, visit: (_ path: String, _ text: String) -> Void) {
        for attribute in element.attributes { visit("\(path)/@\(attribute.name)", attribute.value) }
        let children = element.elements
        if children.isEmpty {
            visit(path, element.text.trimmingCharacters(in: .whitespacesAndNewlines))
            return
        }
        for (child, childPath) in zip(children, childPaths(of: element, path: path)) { walk(child, path: childPath, visit: visit) }
    }

    private static func write(_ element: XMLTree, path: String, tokens: [String: String], to output: inout String) {
        output += "<" + element.name
        for attribute in element.attributes {
            output += " \(attribute.name)=\""
            XMLWriter.escapeAttribute(tokens["\(path)/@\(attribute.name)"] ?? literal(attribute.value), to: &output)
            output += "\""
        }
        output += ">"
        let children = element.elements
        if children.isEmpty {
            XMLWriter.escapeText(tokens[path] ?? literal(element.text), to: &output)
        } else {
            var paths = childPaths(of: element, path: path).makeIterator()
            for child in element.children {
                switch child {
                case .element(let child): write(child, path: paths.next()!, tokens: tokens, to: &output)
                case .text(let text): XMLWriter.escapeText(literal(text), to: &output)
                }
            }
        }
        output += "</\(element.name)>"
    }
}
