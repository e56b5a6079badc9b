/// Bad input, naming the field at fault (a dotted path such as `retry.schedule[2]`), so an API
/// answer can say exactly what to fix.
public struct FieldError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Whether the API document could have told the client beforehand.
    public enum Kind: Sendable, Equatable {
        /// Outside what the document allows: a wrong type, a missing or unknown field, a bad length.
        case malformed
        /// Of the documented shape, but unusable: a template that does not parse, a reference to
        /// something the account does not have, values that contradict each other.
        case unusable
    }

    public let field: String
    public let message: String
    public let kind: Kind

    public init(_ field: String, _ message: String, kind: Kind = .malformed) {
        // A field can be a name the client made up, of any length.
        self.field = field.count > 200 ? Echo.quoted(field) : field
        self.message = message
        self.kind = kind
    }

    public var description: String { "\(field): \(message)" }
}
