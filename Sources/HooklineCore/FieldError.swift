/// Bad input, naming the field at fault (a dotted path such as `retry.schedule[2]`), so an API
/// answer can say exactly what to fix.
public struct FieldError: Error, Sendable, Equatable, CustomStringConvertible {
    public let field: String
    public let message: String

    public init(_ field: String, _ message: String) {
        // A field can be a name the client made up, of any length.
        self.field = field.count > 200 ? Echo.quoted(field) : field
        self.message = message
    }

    public var description: String { "\(field): \(message)" }
}
