import Foundation
import HooklineCore
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing

/// Keeps the cookies Hookline sets and sends them back, like a browser without JavaScript.
final class Browser: Sendable {
    let hookline: Hookline
    let jar = Mutex<[String: String]>([:])

    init(_ hookline: Hookline) { self.hookline = hookline }

    @discardableResult
    func request(_ method: HTTPRequest.Method, _ path: String, form: [(String, String)]? = nil) async throws -> (status: HTTPResponse.Status, headers: HTTPFields, text: String) {
        var headers = HTTPFields()
        let cookies = jar.withLock { $0.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }
        if !cookies.isEmpty { headers[.cookie] = cookies }
        var body: ByteBuffer?
        if let form {
            headers[.contentType] = "application/x-www-form-urlencoded"
            body = ByteBuffer(string: form.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }.joined(separator: "&"))
        }
        let response = try await hookline.client.execute(uri: path, method: method, headers: headers, body: body)
        for value in response.headers[values: .setCookie] {
            let pair = value.split(separator: ";")[0].split(separator: "=", maxSplits: 1).map(String.init)
            jar.withLock { jar in
                if value.contains("Max-Age=0") { jar[pair[0]] = nil } else { jar[pair[0]] = pair.count > 1 ? pair[1] : "" }
            }
        }
        return (response.status, response.headers, String(buffer: response.body))
    }

    /// The value of a hidden input of the last page.
    static func hidden(_ name: String, in page: String) throws -> String {
        let marker = "name=\"\(name)\" value=\""
        let start = try #require(page.range(of: marker)?.upperBound, "no \(name) in the page")
        return String(page[start...].prefix { $0 != "\"" })
    }

    func signIn(_ email: String, _ password: String) async throws -> (status: HTTPResponse.Status, headers: HTTPFields, text: String) {
        let form = try await request(.get, "/sign-in")
        return try await request(
            .post, "/sign-in", form: [("sign_in_token", try Self.hidden("sign_in_token", in: form.text)), ("email", email), ("password", password), ("next", "/webhooks")])
    }

    /// Every hidden input of a page, in order, as a form would send them.
    static func hiddenInputs(in page: String) -> [(String, String)] {
        var inputs: [(String, String)] = []
        var rest = Substring(page)
        while let start = rest.range(of: "<input type=\"hidden\" name=\"") {
            rest = rest[start.upperBound...]
            let name = String(rest.prefix { $0 != "\"" })
            guard let valueStart = rest.range(of: "value=\"") else { break }
            let value = String(rest[valueStart.upperBound...].prefix { $0 != "\"" })
            inputs.append((unescaped(name), unescaped(value)))
        }
        return inputs
    }

    static func unescaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'").replacingOccurrences(of: "&lt;", with: "<")
            .replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&#x2F;", with: "/").replacingOccurrences(of: "&#x3D;", with: "=")
            .replacingOccurrences(of: "&#x60;", with: "`").replacingOccurrences(of: "&amp;", with: "&")
    }

    /// Posts a page's form: its hidden inputs, then `fields` in place of any of the same name.
    func submit(_ page: String, to path: String, _ fields: [(String, String)]) async throws -> (status: HTTPResponse.Status, headers: HTTPFields, text: String) {
        let given = Set(fields.map(\.0))
        return try await request(.post, path, form: Self.hiddenInputs(in: page).filter { !given.contains($0.0) } + fields)
    }
}
