import Foundation
import HooklineCore
import Hummingbird
import Mustache

/// Renders the UI's pages from the Mustache templates in `Templates/`. Every page is a frame (the
/// title, the signed-in user, the session's form token, which part of the navigation it belongs
/// to, a flash message) around its own typed view, which the template reads as `content`.
struct Pages: Sendable {
    let library: MustacheLibrary

    /// Parsed once per process: the templates are part of the binary, and every app a process
    /// builds (a test builds one or more) renders with the same ones.
    private static let parsed = Result { () throws -> MustacheLibrary in
        HTMLEscaping.register()
        var library = MustacheLibrary()
        for template in PageTemplate.allCases {
            try library.register(HTMLEscaping.pragma + String(decoding: template.text, as: UTF8.self), named: template.rawValue)
        }
        return library
    }

    init() throws {
        library = try Self.parsed.get()
    }

    func render(
        _ template: PageTemplate, title: String, context: HooklineRequestContext, status: HTTPResponse.Status = .ok, nav: NavSection? = nil, flash: String? = nil,
        _ content: some Any
    ) -> Response {
        let frame = PageFrame(
            title: title, formToken: context.sessionToken.map(SessionToken.formToken(for:)) ?? "",
            user: context.user.map { PageFrame.SignedIn(email: $0.email, admin: $0.role == .admin) },
            nav: NavFlags(nav ?? NavSection(rawValue: template.rawValue)), flash: flash, content: content)
        let html = library.render(frame, withTemplate: template.rawValue) ?? "template \(template.rawValue) is missing"
        return Self.html(html, status: status)
    }

    /// A part rendered on its own (the chart), for a page to place unescaped: none of the page's
    /// values can leak into it.
    func fragment(_ template: PageTemplate, _ content: some Any) -> String {
        library.render(content, withTemplate: template.rawValue) ?? ""
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

    static func time(_ time: Timestamp) -> String {
        let text = time.iso8601
        // 2026-12-02T10:00:00.000Z → 2026-12-02 10:00:00 UTC
        return String(text.prefix(10)) + " " + String(text.dropFirst(11).prefix(8)) + " UTC"
    }

    /// A due time as "due now" once it has come, else the time after `prefix`.
    static func due(_ time: Timestamp, at now: Timestamp, prefix: String) -> String {
        time <= now ? "due now" : prefix + Self.time(time)
    }

    /// 60 → "60 s", 1.5 → "1.5 s".
    static func seconds(_ seconds: Double) -> String {
        number(seconds) + " s"
    }

    /// 60 → "60", 1.5 → "1.5": as a form's field shows it.
    static func number(_ value: Double) -> String {
        value.rounded() == value ? String(Int(value)) : String(value)
    }
}

/// What every page shows around its own content.
struct PageFrame<Content> {
    struct SignedIn {
        let email: String
        let admin: Bool
    }

    let title: String
    let formToken: String
    let user: SignedIn?
    let nav: NavFlags
    let flash: String?
    let content: Content
}

/// The parts of the navigation bar.
enum NavSection: String, CaseIterable {
    case webhooks, deliveries, notifications, locations, campaigns, treatments, sources, tokens, users
}

/// Which navigation link is the current page's, as the layout template reads it.
struct NavFlags {
    let webhooks, deliveries, notifications, locations, campaigns, treatments, sources, tokens, users: Bool

    init(_ section: NavSection?) {
        (webhooks, deliveries, notifications, locations, campaigns, treatments, sources, tokens, users) = (
            section == .webhooks, section == .deliveries, section == .notifications, section == .locations, section == .campaigns, section == .treatments,
            section == .sources, section == .tokens, section == .users
        )
    }
}
