import Foundation
import HooklineCore
import HooklineStore

/// Users and signing in, for the API, the UI and the command line alike.
public struct UserDirectory: Sendable {
    public enum SignIn: Sendable {
        case signedIn(User, token: String)
        /// Wrong email or password: one answer for both, so emails cannot be probed.
        case refused
        /// Too many attempts for this email wait already: no password was checked.
        case throttled(retryAfter: Double)
    }

    let store: any Store

    public init(store: any Store) {
        self.store = store
    }

    /// Checks `input` by `NewUser`'s rules, then stores the user with a bcrypt hash.
    public func create(accountID: String, email: String, password: String, role: String, now: Timestamp = .now) async throws -> User {
        let input = try NewUser(email: email, password: password, role: role)
        let user = User(id: Identifier.make("usr", at: now), accountID: accountID, email: input.email, role: input.role, createdAt: now)
        try await store.createUser(user, passwordHash: try await Passwords.hash(input.password))
        return user
    }

    /// Reserves this email's next attempt in the store (`SignInThrottle`, shared by every process),
    /// waits for its moment, then checks the password; a session is stored (its digest) on success.
    public func signIn(email: String, password: String, now: Timestamp = .now) async throws -> SignIn {
        let email = email.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        let key = SignInThrottle.key(email: email)
        switch try await store.reserveSignIn(key: key, now: now) {
        case .refused(let retryAfter):
            return .throttled(retryAfter: retryAfter)
        case .checkAt(let moment):
            let wait = moment.seconds(since: now)
            if wait > 0 { try await Task.sleep(for: .seconds(wait)) }
        }
        // No user has an email past 254 bytes; its lookup is skipped, not its hash.
        let credentials = email.utf8.count <= 254 ? try await store.credentials(email: email) : nil
        // An unknown email costs a hash too, so its answer takes as long as a wrong password's.
        let usable = NewUser.isUsablePassword(password)
        let matches = try await Passwords.verify(usable ? password : "", hash: credentials?.passwordHash ?? Self.unknownUserHash)
        guard let user = credentials?.user, usable, matches else { return .refused }
        try await store.clearSignIn(key: key)
        let token = SessionToken.generate()
        try await store.createSession(digest: SessionToken.digest(token), userID: user.id, expiresAt: now.adding(seconds: SessionToken.lifetime), now: now)
        return .signedIn(user, token: token)
    }

    public func user(sessionToken token: String, now: Timestamp = .now) async throws -> User? {
        try await store.sessionUser(digest: SessionToken.digest(token), now: now)
    }

    public func signOut(sessionToken token: String) async throws {
        try await store.deleteSession(digest: SessionToken.digest(token))
    }

    /// A bcrypt hash of no password anyone has.
    static let unknownUserHash = "$2b$10$CwTycUXWue0Thq9StjUM0uJ8.nCkH0b0yqj7v9r8e6W5g1yB2lO3a"
}
