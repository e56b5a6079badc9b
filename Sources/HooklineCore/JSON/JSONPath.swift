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
            case .key(let key):
                // Scalar by scalar, as the parser reads: the description must parse back to these steps.
                text += "['"
                for scalar in key.unicodeScalars {
                    if scalar == "\\" || scalar == "'" { text += "\\" }
                    text.unicodeScalars.append(scalar)
                }
                text += "']"
            case .index(let index): text += "[\(index)]"
            }
        }
        self.description = text
    }

    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        public let description: String
    }

    /// Read scalar by scalar: a backslash or a quote followed by a combining mark is one
    /// `Character`, and must still escape or end a name as it does when written.
    public init(parsing text: String) throws(ParseError) {
        func failure(_ problem: String) -> ParseError { ParseError(description: "'\(Echo.quoted(text))' \(problem)") }
        var scalars = Substring(text.trimmingCharacters(in: .whitespaces)).unicodeScalars
        if scalars.first == "$" { scalars = scalars.dropFirst() } else { scalars = (".".unicodeScalars + scalars)[...] }
        guard !scalars.isEmpty else { throw failure("names no field; write a path such as $.status") }
        var steps: [Step] = []
        while let first = scalars.first {
            if first == "." {
                scalars = scalars.dropFirst()
                let name = scalars.prefix { $0 != "." && $0 != "[" }
                guard !name.isEmpty else { throw failure("has an empty field name") }
                let key = String(String.UnicodeScalarView(name))
                guard !key.contains(where: \.isWhitespace) else { throw failure("needs a name with spaces written as ['\(Echo.quoted(key))']") }
                steps.append(.key(key))
                scalars = scalars.dropFirst(name.count)
            } else if first == "[" {
                scalars = scalars.dropFirst()
                if let quote = scalars.first, quote == "'" || quote == "\"" {
                    scalars = scalars.dropFirst()
                    var name = String.UnicodeScalarView()
                    while let scalar = scalars.first, scalar != quote {
                        if scalar == "\\", scalars.count > 1 { scalars = scalars.dropFirst() }
                        name.append(scalars.first!)
                        scalars = scalars.dropFirst()
                    }
                    guard scalars.first == quote else { throw failure("has an unclosed quote") }
                    scalars = scalars.dropFirst()
                    steps.append(.key(String(name)))
                } else {
                    let digits = scalars.prefix { ("0"..."9").contains($0) }
                    guard !digits.isEmpty, let index = Int(String(String.UnicodeScalarView(digits))) else {
                        throw failure("needs an array index or a quoted name inside [ ]")
                    }
                    steps.append(.index(index))
                    scalars = scalars.dropFirst(digits.count)
                }
                guard scalars.first == "]" else { throw failure("is missing ']'") }
                scalars = scalars.dropFirst()
            } else {
                throw failure("is not a JSON path; write it as $.field.sub[0]")
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
