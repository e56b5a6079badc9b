/// What an update, or a call's end, changed of what was known of a call or lead: the tokens whose
/// value differs, and what each was before. An update that changes nothing fires nothing.
public struct SubjectChange: Sendable, Hashable {
    /// Token names, in the order the source sent them.
    public let changedFields: [String]
    /// The value each changed token had before; `null` where it was unknown.
    public let previous: JSONObject

    /// The tokens of `given` whose value differs from `known`; with `knownOnly`, only those
    /// `known` already had (what an end says of fields known since the beginning).
    public init(known: JSONObject, given: JSONObject, knownOnly: Bool = false) {
        var changed: [String] = []
        var previous = JSONObject()
        for (name, value) in given {
            let before = known[name] ?? .null
            guard before != value, !(knownOnly && before.isNull) else { continue }
            changed.append(name)
            previous[name] = before
        }
        self.changedFields = changed
        self.previous = previous
    }

    public var isEmpty: Bool { changedFields.isEmpty }

    /// `values` with `changed_fields` and `previous_values`, as the event's deliveries render them.
    public func annotating(_ values: JSONObject) -> JSONObject {
        var values = values
        values["changed_fields"] = .array(changedFields.map(JSONValue.string))
        values["previous_values"] = .object(previous)
        return values
    }
}

/// How large a call's or lead's values may grow through updates and conversions: each later event
/// stores what is known of it then (and what changed was), so this bounds what one small update
/// costs in storage.
public enum SubjectSize {
    public static let largestBytes = 1 << 20

    public static func fits(_ values: JSONObject) -> Bool {
        values.jsonText.utf8.count <= largestBytes
    }

    public static func message(_ subject: String) -> String {
        "\(subject) would hold more than \(largestBytes / 1024) KiB of values; send less, or clear tokens it no longer needs with null"
    }
}

/// A call's values as stored: what its begin reported, what its end reported, and what updates
/// and conversions set since. Each later fact replaces what was known of its tokens, whatever
/// part reported them first.
public struct CallValues: Sendable, Hashable {
    public var begin: JSONObject
    public var end: JSONObject?
    /// The latest value of each token set by an update or a conversion.
    public var later: JSONObject

    public init(begin: JSONObject, end: JSONObject?, later: JSONObject) {
        self.begin = begin
        self.end = end
        self.later = later
    }

    /// What is known of the call now.
    public var current: JSONObject {
        var values = begin
        if let end { values = values.merging(end) }
        return later.isEmpty ? values : values.merging(later)
    }

    /// The call ended with `ended`: what it renders (everything known, the end's report over it,
    /// what the end changed of fields known before), and the stored parts after it. The end's
    /// report is newer than an update made during the call, so it replaces that update's tokens.
    public func ending(with ended: JSONObject) -> (values: CallValues, event: JSONObject, change: SubjectChange) {
        let known = current
        var after = self
        after.end = ended
        for name in ended.keys { after.later[name] = nil }
        let change = SubjectChange(known: known, given: ended, knownOnly: true)
        return (after, change.annotating(known.merging(ended)), change)
    }

    /// An update with `given`: nil when it changes nothing; else the stored parts after it and what
    /// its event renders (the call as updated, what changed and what it was).
    public func updating(with given: JSONObject, received: Timestamp) -> (values: CallValues, event: JSONObject, change: SubjectChange)? {
        let change = SubjectChange(known: current, given: given)
        guard !change.isEmpty else { return nil }
        var after = self
        after.later = later.merging(given)
        let event = EventKind.callUpdated.stamped(change.annotating(after.current), received: received)
        return (after, event, change)
    }

    /// A conversion recorded against the call: its tokens become the call's latest conversion.
    public func converting(with conversion: JSONObject, received: Timestamp) -> (values: CallValues, event: JSONObject) {
        var after = self
        after.later = later.merging(EventKind.callConverted.stamped(conversion, received: received))
        return (after, after.current)
    }
}

extension JSONObject {
    /// A lead updated with `given`: nil when it changes nothing; else its values after and what
    /// its event renders.
    public func updatingLead(with given: JSONObject, received: Timestamp) -> (values: JSONObject, event: JSONObject, change: SubjectChange)? {
        let change = SubjectChange(known: self, given: given)
        guard !change.isEmpty else { return nil }
        let after = merging(given)
        return (after, EventKind.leadUpdated.stamped(change.annotating(after), received: received), change)
    }
}
