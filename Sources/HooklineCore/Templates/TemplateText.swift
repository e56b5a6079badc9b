/// A piece of template text with `%token%` placeholders. `%%` is a literal percent; a `%` that does
/// not open a token name (a lowercase letter, then letters, digits or `_`, then `%`) stays literal,
/// so percent-encoded URLs such as `a%20b` pass through. `%token|format%` writes the value in a
/// format (`ValueFormat`), such as Roistat's `YYYY-MM-DD HH:MM:SS` dates.
public struct TemplateText: Sendable, Hashable {
    public enum Segment: Sendable, Hashable {
        case literal(String)
        case token(String, format: String? = nil)
    }

    public let segments: [Segment]

    public init(parsing text: String) {
        var segments: [Segment] = []
        var literal = ""
        let scalars = Array(text.unicodeScalars)
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            guard scalar == "%" else {
                literal.unicodeScalars.append(scalar)
                index += 1
                continue
            }
            if index + 1 < scalars.count, scalars[index + 1] == "%" {
                literal += "%"
                index += 2
                continue
            }
            var end = index + 1
            if end < scalars.count, ("a"..."z").contains(scalars[end]) {
                while end < scalars.count, TemplateText.isNameScalar(scalars[end]) { end += 1 }
                var formatRange: Range<Int>?
                if end < scalars.count, scalars[end] == "|" {
                    var formatEnd = end + 1
                    while formatEnd < scalars.count, TemplateText.isNameScalar(scalars[formatEnd]) { formatEnd += 1 }
                    if formatEnd > end + 1 {
                        formatRange = (end + 1)..<formatEnd
                        end = formatEnd
                    }
                }
                if end < scalars.count, scalars[end] == "%" {
                    if !literal.isEmpty { segments.append(.literal(literal)) }
                    literal = ""
                    var name = ""
                    let nameEnd = formatRange.map { $0.lowerBound - 1 } ?? end
                    name.unicodeScalars.append(contentsOf: scalars[(index + 1)..<nameEnd])
                    var format: String?
                    if let formatRange {
                        format = ""
                        format?.unicodeScalars.append(contentsOf: scalars[formatRange])
                    }
                    segments.append(.token(name, format: format))
                    index = end + 1
                    continue
                }
            }
            literal += "%"
            index += 1
        }
        if !literal.isEmpty { segments.append(.literal(literal)) }
        self.segments = segments
    }

    private static func isNameScalar(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar) || scalar == "_"
    }

    public var tokenNames: [String] {
        segments.compactMap { if case .token(let name, _) = $0 { name } else { nil } }
    }

    /// Every placeholder names a token of the catalogue, and every format a known one that fits
    /// its token's type: what a template (or a header) is checked for when saved.
    public func check(against catalogue: TokenCatalogue) throws(TemplateError) {
        for segment in segments {
            guard case .token(let name, let formatName) = segment else { continue }
            guard let token = catalogue[name] else { throw .unknownToken(name: name, nearest: catalogue.nearestNames(to: name)) }
            guard let formatName else { continue }
            guard ValueFormat(rawValue: formatName) != nil else { throw .unknownFormat(name: formatName) }
            guard token.type == .timestamp else { throw .misappliedFormat(name: formatName, token: name, type: token.type) }
        }
    }

    public var hasTokens: Bool { !tokenNames.isEmpty }

    /// The token when the text is exactly one placeholder and nothing else.
    public var soleToken: String? {
        if segments.count == 1, case .token(let name, _) = segments[0] { return name }
        return nil
    }

    /// The value of the sole placeholder, in its format; `nil` when the text is not one placeholder.
    public func soleValue(_ values: JSONObject) -> JSONValue? {
        guard segments.count == 1, case .token(let name, let format) = segments[0] else { return nil }
        return ValueFormat.apply(format, to: values[name] ?? .null)
    }

    /// Interpolates values as text: numbers as written, missing values as nothing, nested values
    /// as JSON text.
    public func interpolate(_ values: JSONObject) -> String {
        var output = ""
        for segment in segments {
            switch segment {
            case .literal(let text): output += text
            case .token(let name, let format): output += TemplateText.text(of: ValueFormat.apply(format, to: values[name] ?? .null))
            }
        }
        return output
    }

    public static func text(of value: JSONValue) -> String {
        switch value {
        case .null: ""
        case .string(let text): text
        case .bool(let flag): flag ? "true" : "false"
        case .integer, .decimal, .array, .object: value.jsonText
        }
    }
}
