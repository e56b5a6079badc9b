/// A person who signs in to the web UI as a member of one account. Emails are unique across
/// accounts: signing in names the account.
public struct User: Sendable, Hashable, Identifiable {
    public enum Role: String, Sendable, CaseIterable {
        /// Manages the account's users, and everything else.
        case admin
        /// Everything but users.
        case member
    }

    public var id: String
    public var accountID: String
    public var email: String
    public var role: Role
    public var createdAt: Timestamp

    public init(id: String, accountID: String, email: String, role: Role, createdAt: Timestamp) {
        self.id = id
        self.accountID = accountID
        self.email = email
        self.role = role
        self.createdAt = createdAt
    }
}
