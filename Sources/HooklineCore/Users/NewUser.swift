import Foundation

/// The rules for a new user, the same for the API, the UI and the command line.
public struct NewUser: Sendable, Equatable {
    public var email: String
    public var password: String
    public var role: User.Role

    /// Counted in Unicode scalars, as JSON Schema counts a string's length.
    public static let passwordLength = 10...72
    /// bcrypt reads at most 72 bytes of a password; a longer one would be silently cut.
    public static let passwordBytes = 72

    /// Checked and normalised: the email trimmed and lowercased (it is how people sign in).
    public init(email: String, password: String, role: String) throws(FieldError) {
        let email = email.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        guard email.utf8.count <= 254 else { throw FieldError("email", "must be at most 254 characters") }
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasPrefix("."), !parts[1].hasSuffix("."),
            !email.contains(where: { $0 == " " || $0.isNewline })
        else { throw FieldError("email", "must be an email address such as name@example.com") }
        guard Self.passwordLength.contains(password.unicodeScalars.count) else {
            throw FieldError("password", "must be \(Self.passwordLength.lowerBound) to \(Self.passwordLength.upperBound) characters long")
        }
        guard Self.isUsablePassword(password) || password.utf8.count > Self.passwordBytes else {
            throw FieldError("password", "must not contain control characters (tabs, newlines, NUL)", kind: .unusable)
        }
        guard password.utf8.count <= Self.passwordBytes else {
            throw FieldError("password", "must be at most \(Self.passwordBytes) bytes in UTF-8; use fewer accented or non-Latin characters", kind: .unusable)
        }
        guard let role = User.Role(rawValue: role) else {
            throw FieldError("role", "must be one of \(User.Role.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        self.email = email
        self.password = password
        self.role = role
    }

    /// Whether bcrypt reads all of `password`: it stops at the first NUL and after 72 bytes, so a
    /// password past either would match others that share only its beginning. Sign-in refuses
    /// what creation would refuse, whatever hash is stored.
    public static func isUsablePassword(_ password: String) -> Bool {
        password.utf8.count <= passwordBytes && !password.unicodeScalars.contains { $0.properties.generalCategory == .control }
    }
}
