import Foundation

/// An object of a request body, checked against the fields it may have: an unknown field is
/// refused with the list of known ones, a missing required one says so, and every error names
/// its field as a path under the object's own (`auth.token`).
public struct ObjectReader: Sendable {
    public let object: JSONObject
    /// The object's path in the body; empty for the body itself.
    public let path: String

    /// - Parameters:
    ///   - path: where the object is in the body; empty for the body itself.
    ///   - fields: the fields it may have.
    ///   - subject: what the object is, for the refusal of an unknown field ("a webhook").
    public init(_ value: JSONValue, at path: String = "", fields: Set<String>, subject: String) throws(FieldError) {
        guard let object = value.objectValue else {
            throw FieldError(path.isEmpty ? "body" : path, "must be a JSON object (\(subject)), not \(value.typeName)")
        }
        self.path = path
        for key in object.keys where !fields.contains(key) {
            throw FieldError(path.isEmpty ? key : "\(path).\(key)", "unknown field; \(subject) takes \(fields.sorted().joined(separator: ", "))")
        }
        self.object = object
    }

    /// An object already checked, or changed after its check.
    public init(checked object: JSONObject, at path: String = "") {
        self.object = object
        self.path = path
    }

    /// A field's path, for errors about it.
    public func field(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// The field as `read` reads it; when absent, `current` (what a partial update keeps), else
    /// "is required".
    public func required<T>(_ key: String, _ current: T? = nil, _ read: (JSONValue) throws(FieldError) -> T) throws(FieldError) -> T {
        if let value = object[key] { return try read(value) }
        if let current { return current }
        throw FieldError(field(key), "is required")
    }
}

/// The name a person gives what they create (an account, a webhook, a template, a campaign, a
/// source): trimmed, not empty, at most 200 characters.
public enum DisplayName {
    public static let maximumLength = 200

    public static func read(_ value: JSONValue) throws(FieldError) -> String {
        guard let name = value.stringValue?.trimmingCharacters(in: .whitespacesAndNewlines), !name.isEmpty else {
            throw FieldError("name", "must be a non-empty string")
        }
        guard name.count <= maximumLength else { throw FieldError("name", "must be at most \(maximumLength) characters") }
        return name
    }
}
