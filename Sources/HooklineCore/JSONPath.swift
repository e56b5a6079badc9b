import Foundation

/// A path into a JSON document: `$.a.b[0]`, `a.b[0]` or `$['key with spaces']`.
public struct JSONPath: Sendable, Hashable, CustomStringConvertible {
    public enum Step: Sendable, Hashable {
        case key(String)
        case index(Int)
    }

    public let steps: [Step]
    public let description: String

    public init(steps: [Step]) {
        self.steps = steps
        var text = "$"
        for step in steps {
            switch step {
            case .key(let key) where !key.isEmpty && key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }):
                text += "." + key
            // Backslashes first: the description must parse back to these steps.
            case .key(let key): text += "['" + key.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "']"
            case .index(let index): text += "[\(index)]"
            }
        }
        self.description = text
    }

    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        public let description: String
    }

    public init(parsing text: String) throws(ParseError) {
        var characters = Substring(text.trimmingCharacters(in: .whitespaces))
        if characters.first == "$" { characters = characters.dropFirst() } else { characters = "." + characters }
        guard !characters.isEmpty else { throw ParseError(description: "'\(Echo.quoted(text))' names no field; write a path such as $.status") }
        var steps: [Step] = []
        while let first = characters.first {
            if first == "." {
                characters = characters.dropFirst()
                let name = characters.prefix { $0 != "." && $0 != "[" }
                guard !name.isEmpty else { throw ParseError(description: "'\(Echo.quoted(text))' has an empty field name") }
                guard !name.contains(where: \.isWhitespace) else {
                    throw ParseError(description: "'\(Echo.quoted(text))': write a name with spaces as ['\(name)']")
                }
                steps.append(.key(String(name)))
                characters = characters.dropFirst(name.count)
            } else if first == "[" {
                characters = characters.dropFirst()
                if let quote = characters.first, quote == "'" || quote == "\"" {
                    characters = characters.dropFirst()
                    var name = ""
                    while let character = characters.first, character != quote {
                        if character == "\\", characters.count > 1 {
                            characters = characters.dropFirst()
                        }
                        name.append(characters.first!)
                        characters = characters.dropFirst()
                    }
                    guard characters.first == quote else { throw ParseError(description: "'\(Echo.quoted(text))' has an unclosed quote") }
                    characters = characters.dropFirst()
                    steps.append(.key(name))
                } else {
                    let digits = characters.prefix { $0.isASCII && $0.isNumber }
                    guard !digits.isEmpty, let index = Int(digits) else {
                        throw ParseError(description: "'\(Echo.quoted(text))' needs an array index or a quoted name inside [ ]")
                    }
                    steps.append(.index(index))
                    characters = characters.dropFirst(digits.count)
                }
                guard characters.first == "]" else { throw ParseError(description: "'\(Echo.quoted(text))' is missing ']'") }
                characters = characters.dropFirst()
            } else {
                throw ParseError(description: "'\(Echo.quoted(text))' is not a JSON path; write it as $.field.sub[0]")
            }
        }
        self.init(steps: steps)
    }

    /// The value at the path, or `nil` when the document has none there.
    public func value(in document: JSONValue) -> JSONValue? {
        var current = document
        for step in steps {
            switch step {
            case .key(let key):
                guard let next = current.objectValue?[key] else { return nil }
                current = next
            case .index(let index):
                guard let array = current.arrayValue, index < array.count else { return nil }
                current = array[index]
            }
        }
        return current
    }
}
