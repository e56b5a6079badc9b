import Foundation
import HooklineCore
import Hummingbird

/// Signing in and out. The sign-in form carries a token that must match a cookie set with the
/// form (double submit): another site cannot sign a browser in to its own account.
struct SignInPages {
    let users: UserDirectory
    let pages: Pages
    static let signInCookie = "hookline_sign_in"

    func addRoutes(to group: RouterGroup<HooklineRequestContext>) {
        group.get("sign-in", use: form)
        group.post("sign-in", use: signIn)
    }

    func addSignedInRoutes(to group: RouterGroup<HooklineRequestContext>) {
        group.post("sign-out", use: signOut)
    }

    @Sendable func form(request: Request, context: HooklineRequestContext) async throws -> Response {
        render(request, context: context, next: Self.safeNext(request.uri.queryParameters["next"].map(String.init)), email: "", error: nil, status: .ok)
    }

    @Sendable func signIn(request: Request, context: HooklineRequestContext) async throws -> Response {
        let form = FormFields(String(buffer: try await request.body.collect(upTo: context.maxUploadSize)))
        let next = Self.safeNext(form["next"])
        let email = form["email"] ?? ""
        guard let given = form["sign_in_token"], let cookie = request.cookies[Self.signInCookie]?.value, !given.isEmpty, ConstantTime.equals(given, cookie) else {
            return render(request, context: context, next: next, email: email, error: "The sign-in page was out of date; try again.", status: .forbidden)
        }
        switch try await users.signIn(email: email, password: form["password"] ?? "") {
        case .refused:
            return render(request, context: context, next: next, email: email, error: "Wrong email or password.", status: .unauthorized)
        case .throttled(let retryAfter):
            var response = render(
                request, context: context, next: next, email: email,
                error: "Too many sign-in attempts for this email; try again in \(Int(retryAfter.rounded(.up))) seconds.", status: .tooManyRequests)
            response.headers[.retryAfter] = String(Int(retryAfter.rounded(.up)))
            return response
        case .signedIn(_, let token):
            var response = Pages.redirect(to: next)
            response.setCookie(
                Cookie(
                    name: SessionToken.cookieName(secure: request.isForwardedSecure), value: token, maxAge: Int(SessionToken.lifetime), path: "/", secure: request.isForwardedSecure,
                    httpOnly: true, sameSite: .strict))
            response.setCookie(Cookie(name: Self.signInCookie, value: "", maxAge: 0, path: "/sign-in", httpOnly: true, sameSite: .strict))
            return response
        }
    }

    @Sendable func signOut(request: Request, context: HooklineRequestContext) async throws -> Response {
        if let token = context.sessionToken { try await users.signOut(sessionToken: token) }
        var response = Pages.redirect(to: "/sign-in")
        response.setCookie(Cookie(name: SessionToken.cookieName(secure: request.isForwardedSecure), value: "", maxAge: 0, path: "/", secure: request.isForwardedSecure, httpOnly: true, sameSite: .strict))
        return response
    }

    private func render(_ request: Request, context: HooklineRequestContext, next: String, email: String, error: String?, status: HTTPResponse.Status) -> Response {
        let token = APIKey.generate(prefix: "hksi")
        var response = pages.render(
            .signIn, title: "Sign in", context: context, status: status, SignInView(next: next, email: email, error: error, signInToken: token))
        response.setCookie(Cookie(name: Self.signInCookie, value: token, maxAge: 3600, path: "/sign-in", secure: request.isForwardedSecure, httpOnly: true, sameSite: .strict))
        return response
    }

    /// Only a path of this site: never another site's address. Browsers drop tabs and newlines
    /// from a URL and read `\` as `/` (WHATWG URL rules), so `/\t/evil.example` and `/\evil.example`
    /// are other sites to them; only printable ASCII without a backslash, starting with a single
    /// `/`, is a path however a browser reads it.
    static func safeNext(_ next: String?) -> String {
        let fallback = "/webhooks"
        guard let next, next.utf8.count <= 2048, next.hasPrefix("/"), !next.hasPrefix("//") else { return fallback }
        guard next.utf8.allSatisfy({ (0x21...0x7E).contains($0) && $0 != UInt8(ascii: "\\") }) else { return fallback }
        return next
    }
}
