import Foundation
import Hummingbird
import HooklineCore
import HooklineStore

extension Request {
    /// The token of `Authorization: Bearer <token>` (scheme in any case). Read byte by byte: every
    /// API request passes here.
    var bearerToken: String? {
        guard let value = headers[.authorization]?.utf8, value.count > 7,
            value.prefix(6).elementsEqual("bearer".utf8, by: { $0 | 0x20 == $1 }), value.dropFirst(6).first == UInt8(ascii: " ")
        else { return nil }
        var token = value.dropFirst(7)
        while token.first == UInt8(ascii: " ") { token = token.dropFirst() }
        while token.last == UInt8(ascii: " ") { token = token.dropLast() }
        return token.isEmpty ? nil : String(token)
    }
}

/// Lets through requests that carry an account's API key, and records the account on the context.
struct AccountAuthenticator: RouterMiddleware {
    typealias Context = HooklineRequestContext
    let store: any Store

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let key = request.bearerToken, let account = try await store.account(keyDigest: APIKey.digest(key)) else {
            throw APIError(.unauthorized, "missing or invalid API key; send Authorization: Bearer <account key>")
        }
        var context = context
        context.account = account
        return try await next(request, context)
    }
}

/// Lets through requests that carry the admin key.
struct AdminAuthenticator: RouterMiddleware {
    typealias Context = HooklineRequestContext
    let adminKeyDigest: String

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let key = request.bearerToken, constantTimeEqual(APIKey.digest(key), adminKeyDigest) else {
            throw APIError(.unauthorized, "missing or invalid admin key; send Authorization: Bearer <admin key>")
        }
        return try await next(request, context)
    }

    private func constantTimeEqual(_ lhs: String, _ rhs: String) -> Bool {
        let a = Array(lhs.utf8)
        let b = Array(rhs.utf8)
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
