import Foundation
import HooklineCore
import Hummingbird
import Mustache

/// Renders the UI's pages from the Mustache templates in `Templates/`. Every page gets the
/// signed-in user, the session's form token and which part of the navigation it belongs to.
struct Pages: Sendable {
    let library: MustacheLibrary

    init() throws {
        HTMLEscaping.register()
        var library = MustacheLibrary()
        for (name, text) in PageTemplates.all { try library.register(HTMLEscaping.pragma + text, named: name) }
        self.library = library
    }

    func render(_ template: String, title: String, context: HooklineRequestContext, status: HTTPResponse.Status = .ok, _ values: [String: Any] = [:]) -> Response {
        var object = values
        object["title"] = title
        object["formToken"] = context.sessionToken.map(SessionToken.formToken(for:)) ?? ""
        if let user = context.user {
            object["user"] = ["email": user.email, "admin": user.role == .admin]
        }
        object["nav_" + (values["nav"] as? String ?? template)] = true
        let html = library.render(Self.emptyAsNull(object), withTemplate: template) ?? "template \(template) is missing"
        return Self.html(html, status: status)
    }

    /// Empty text renders nothing and opens no section, as in other Mustache implementations
    /// (swift-mustache counts every string as true).
    static func emptyAsNull(_ value: Any) -> Any {
        switch value {
        case let text as String: text.isEmpty ? NSNull() : text
        case let object as [String: Any]: object.mapValues(emptyAsNull)
        case let list as [[String: Any]]: list.map { $0.mapValues(emptyAsNull) }
        case let list as [[String: String]]: list.map { $0.mapValues(emptyAsNull) }
        case let list as [Any]: list.map(emptyAsNull)
        default: value
        }
    }

    static func html(_ html: String, status: HTTPResponse.Status = .ok) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-store"
        headers[.contentSecurityPolicy] = "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
        headers[.xContentTypeOptions] = "nosniff"
        headers[Self.referrerPolicy] = "same-origin"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// After a form: the page to show next, by GET (so a reload does not post again).
    static func redirect(to location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location, .cacheControl: "no-store"])
    }

    static let referrerPolicy = HTTPFields.Element.Name("Referrer-Policy")!

    static func time(_ time: Timestamp?) -> String {
        guard let time else { return "" }
        let text = time.iso8601
        // 2026-12-02T10:00:00.000Z → 2026-12-02 10:00:00 UTC
        return String(text.prefix(10)) + " " + String(text.dropFirst(11).prefix(8)) + " UTC"
    }
}

