/// One event of a call's or lead's life, as its page's timeline shows it: what happened, what it
/// changed, who reported it.
public struct SubjectEvent: Sendable, Hashable, Identifiable {
    public var id: String
    public var kind: EventKind
    /// The call's or lead's version after it; nil for events stored before versions were kept.
    public var version: Int?
    /// What its deliveries render: the call or lead as it was then.
    public var values: JSONObject
    public var receivedAt: Timestamp
    /// The source that reported it; nil when it came through the API.
    public var sourceID: String?

    public init(id: String, kind: EventKind, version: Int?, values: JSONObject, receivedAt: Timestamp, sourceID: String?) {
        self.id = id
        self.kind = kind
        self.version = version
        self.values = values
        self.receivedAt = receivedAt
        self.sourceID = sourceID
    }

    /// The tokens it changed, each from what to what; empty for events that change nothing known.
    public var changes: [(name: String, from: JSONValue, to: JSONValue)] {
        guard let names = values["changed_fields"]?.arrayValue, let previous = values["previous_values"]?.objectValue else { return [] }
        return names.compactMap(\.stringValue).map { name in (name, previous[name] ?? .null, values[name] ?? .null) }
    }
}
