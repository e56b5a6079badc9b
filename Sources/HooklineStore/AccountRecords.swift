import HooklineCore

public struct Account: Sendable, Hashable, Identifiable {
    public var id: String
    public var name: String
    public var createdAt: Timestamp

    public init(id: String, name: String, createdAt: Timestamp) {
        self.id = id
        self.name = name
        self.createdAt = createdAt
    }
}

/// A user with what signing in checks.
public struct UserCredentials: Sendable {
    public var user: User
    /// bcrypt.
    public var passwordHash: String

    public init(user: User, passwordHash: String) {
        self.user = user
        self.passwordHash = passwordHash
    }
}
