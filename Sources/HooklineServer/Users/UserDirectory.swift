import Foundation
import HooklineCore
import HooklineStore
import Synchronization

/// Users and signing in, for the API, the UI and the command line alike.
public struct UserDirectory: Sendable {
    public enum SignIn: Sendable {
        case signedIn(User, token: String)
        /// Wrong email or password: one answer for both, so emails cannot be probed.
        case refused
    }

    let store: any Store
    private let throttles: Throttles

    /// Failed sign-ins per email, in this process.
    final class Throttles: Sendable {
        let byEmail = Mutex<[String: SignInThrottle]>([:])
    }

    public init(store: any Store) {
        self.store = store
        self.throttles = Throttles()
    }

    /// Checks `input` by `NewUser`'s rules, then stores the user with a bcrypt hash.
    public func create(accountID: String, email: String, password: String, role: String, now: Timestamp = .now) async throws -> User {
        let input = try NewUser(email: email, password: password, role: role)
        let user = User(id: Identifier.make("usr", at: now), accountID: accountID, email: input.email, role: input.role, createdAt: now)
        try await store.createUser(user, passwordHash: try await Passwords.hash(input.password))
        return user
    }

    /// Waits as `SignInThrottle` says for this email, then checks the password; a session is
    /// stored (its digest) on success.
    public func signIn(email: String, password: String, now: Timestamp = .now) async throws -> SignIn {
        let email = email.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        let delay = throttles.byEmail.withLock { $0[email]?.delay(now: now) ?? 0 }
        if delay > 0 { try await Task.sleep(for: .seconds(delay)) }
        let credentials = try await store.credentials(email: email)
        // An unknown email costs a hash too, so its answer takes as long as a wrong password's.
        let usable = NewUser.isUsablePassword(password)
        let matches = try await Passwords.verify(usable ? password : "", hash: credentials?.passwordHash ?? Self.unknownUserHash)
        guard let user = credentials?.user, usable, matches else {
            throttles.byEmail.withLock { byEmail in
                byEmail[email, default: SignInThrottle()].failed(now: now)
                if byEmail.count > 10_000 { byEmail = byEmail.filter { !$0.value.isSpent(now: now) } }
            }
            return .refused
        }
        _ = throttles.byEmail.withLock { $0.removeValue(forKey: email) }
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
