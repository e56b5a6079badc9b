/// Ways to write a value other than as stored, named after the `|` in `%token|format%`.
public enum ValueFormat: String, Sendable, CaseIterable {
    /// `YYYY-MM-DD HH:MM:SS` in UTC, as Roistat and Envybox write dates.
    case datetime
    /// `YYYY-MM-DD` in UTC.
    case date
    /// Whole seconds since 1970.
    case unix

    /// A value that is not a timestamp passes unchanged, as does a missing one.
    public static func apply(_ name: String?, to value: JSONValue) -> JSONValue {
        guard let name, let format = ValueFormat(rawValue: name) else { return value }
        guard let text = value.stringValue, let timestamp = Timestamp(parsing: text) else { return value }
        switch format {
        case .datetime: return .string(timestamp.spaced)
        case .date: return .string(String(timestamp.spaced.prefix(10)))
        case .unix: return .integer(timestamp.millisecondsSince1970 / 1000)
        }
    }
}
