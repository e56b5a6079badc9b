import Foundation
import HooklineCore
import HooklineStore
import Hummingbird

/// The UI's pages are for signed-in users: the session cookie names the user and the account.
/// A page asked for without a session goes to the sign-in page; a form posted without the
/// session's form token (a page of another site submitting it) is refused.
struct SignedInUser: RouterMiddleware {
    typealias Context = HooklineRequestContext
    let users: UserDirectory

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let token = request.cookies[SessionToken.cookieName(secure: request.isForwardedSecure)]?.value, let user = try await users.user(sessionToken: token),
            let account = try await users.store.account(id: user.accountID)
        else {
            guard request.method == .get else { throw HTTPError(.forbidden, message: "Your session has ended; sign in again.") }
            let target = request.uri.path + (request.uri.query.map { "?" + $0 } ?? "")
            return Pages.redirect(to: "/sign-in?next=" + (target.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/"))
        }
        var context = context
        context.user = user
        context.account = account
        context.sessionToken = token
        var request = request
        if request.method != .get && request.method != .head {
            _ = try await request.collectBody(upTo: context.maxUploadSize)
            let form = try await FormFields.of(request, context: context)
            guard let given = form["form_token"], SessionToken.isFormToken(given, of: token) else {
                throw HTTPError(.forbidden, message: "This form is out of date or came from another site; reload the page and try again.")
            }
        }
        return try await next(request, context)
    }
}
