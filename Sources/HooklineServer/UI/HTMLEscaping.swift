import Mustache

/// The pages' escaper. swift-mustache's own walks `Character`s, and a quote followed by a
/// combining mark (U+0301) is one `Character` that matches no entry, so the quote went out raw
/// and broke an attribute open. This one walks Unicode scalars: every `& < > " '` is escaped
/// whatever follows it.
struct HTMLEscaping: MustacheContentType {
    static let name = "HOOKLINE_HTML"
    /// Put first in every template and partial (a partial starts over with the library's default).
    static let pragma = "{{% CONTENT_TYPE: \(name) }}"

    func escapeText(_ text: String) -> String { Self.escape(text) }

    static func escape(_ text: String) -> String {
        var escaped = String.UnicodeScalarView()
        escaped.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": escaped.append(contentsOf: "&amp;".unicodeScalars)
            case "<": escaped.append(contentsOf: "&lt;".unicodeScalars)
            case ">": escaped.append(contentsOf: "&gt;".unicodeScalars)
            case "\"": escaped.append(contentsOf: "&quot;".unicodeScalars)
            case "'": escaped.append(contentsOf: "&#39;".unicodeScalars)
            default: escaped.append(scalar)
            }
        }
        return String(escaped)
    }

    static func register() {
        MustacheContentTypes.register(HTMLEscaping(), named: name)
    }
}
