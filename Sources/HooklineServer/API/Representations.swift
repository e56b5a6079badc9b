import HooklineCore
import HooklineStore

// How values every resource shares look in API answers; each resource's own shape is in its
// folder (`API/Webhooks/Webhook+JSON.swift`, …), so every route shows a thing the same way.

extension Timestamp {
    var json: JSONValue { .string(iso8601) }

    /// A time a body gives (`from`, `to`): ISO 8601, or null or absent for none. `kind`: whether
    /// the document could have told (a `date-time` field) or not.
    static func read(_ value: JSONValue?, field: String, kind: FieldError.Kind = .malformed) throws(FieldError) -> Timestamp? {
        guard let value, !value.isNull else { return nil }
        guard let text = value.stringValue, let time = Timestamp(parsing: text) else {
            throw FieldError(field, "must be a timestamp such as 2026-12-01T00:00:00.000Z", kind: kind)
        }
        return time
    }
}

extension Optional where Wrapped == Timestamp {
    var json: JSONValue { self.map { .string($0.iso8601) } ?? .null }
}

extension HeaderField {
    static func json(_ headers: [HeaderField]) -> JSONValue {
        .array(headers.map { ["name": .string($0.name), "value": .string($0.value)] })
    }
}

extension Page {
    func json(_ item: (Item) -> JSONObject) -> JSONObject {
        ["data": .array(items.map { .object(item($0)) }), "next_cursor": JSONValue(nextCursor)]
    }
}
