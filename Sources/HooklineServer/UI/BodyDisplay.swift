import Foundation
import HooklineCore

/// A recorded body as people read it: JSON indented, a form or query one field a line, anything
/// else as it was.
enum BodyDisplay {
    static func pretty(_ body: String, contentType: String) -> String {
        let type = contentType.lowercased()
        if type.contains("json") || body.first == "{" || body.first == "[", let value = try? JSONParser.parse(body) {
            return indented(value, depth: 0)
        }
        if type.contains("x-www-form-urlencoded") {
            return body.split(separator: "&").map { $0.removingPercentEncoding ?? String($0) }.joined(separator: "\n")
        }
        return body
    }

    private static func indented(_ value: JSONValue, depth: Int) -> String {
        let pad = String(repeating: "  ", count: depth + 1)
        let close = String(repeating: "  ", count: depth)
        switch value {
        case .object(let object):
            guard !object.isEmpty else { return "{}" }
            let members = object.map { "\(pad)\(JSONValue.string($0.key).jsonText): \(indented($0.value, depth: depth + 1))" }
            return "{\n" + members.joined(separator: ",\n") + "\n\(close)}"
        case .array(let items):
            guard !items.isEmpty else { return "[]" }
            return "[\n" + items.map { pad + indented($0, depth: depth + 1) }.joined(separator: ",\n") + "\n\(close)]"
        default:
            return value.jsonText
        }
    }
}
