/// A webhook's option to hold the end of a call until its later data is there: its `call.end`
/// delivery waits until every listed token is known or `maxSeconds` have passed, then goes with
/// what is known (a recording that arrives three minutes after the hang-up rides with the end).
public struct HoldRule: Sendable, Hashable, Codable {
    /// Catalogue tokens the end waits for.
    public var until: [String]
    public var maxSeconds: Int

    public static let longestSeconds = 3_600
    public static let mostTokens = 10

    public init(until: [String], maxSeconds: Int) {
        self.until = until
        self.maxSeconds = maxSeconds
    }

    /// Only the end of a call is held: it is what receivers take as the call's final report.
    public static func holds(_ kind: EventKind) -> Bool { kind == .callEnd }

    /// The listed tokens `values` do not know yet.
    public func missing(in values: JSONObject) -> [String] {
        DeliveryHold.missing(until, in: values)
    }
}

/// What ingest and the hold's release write for a held delivery, decided from what the engine read.
public enum DeliveryHold {
    /// The hold a new delivery of `kind` starts, given what its event renders: nil when the webhook
    /// holds nothing, the kind is not held, or every token is already known.
    public static func start(_ rule: HoldRule?, kind: EventKind, values: JSONObject, now: Timestamp) -> Timestamp? {
        guard let rule, HoldRule.holds(kind), !rule.missing(in: values).isEmpty else { return nil }
        return now.adding(seconds: Double(rule.maxSeconds))
    }

    /// Of `tokens`, those `values` do not know yet: missing, null or empty text.
    public static func missing(_ tokens: [String], in values: JSONObject) -> [String] {
        tokens.filter { name in
            switch values[name] {
            case nil, .null?: true
            case .string(let text)?: text.isEmpty
            default: false
            }
        }
    }

    /// Whether a held delivery goes now: every token it waits for is known, or its time is up.
    public static func releases(waitingFor tokens: [String], heldUntil: Timestamp, values: JSONObject, now: Timestamp) -> Bool {
        heldUntil <= now || missing(tokens, in: values).isEmpty
    }

    /// What a released delivery renders: its event's values with everything known of the call
    /// since (what the hold waited for, and anything else that arrived meanwhile).
    public static func releasedValues(event: JSONObject, call: JSONObject) -> JSONObject {
        event.merging(call)
    }

    /// A released delivery is due at once unless an earlier delivery of its call to its webhook is
    /// still pending: then it waits its turn (per-call order) and that one's outcome releases it.
    public static func nextAttemptAt(waitsBehindEarlier: Bool, now: Timestamp) -> Timestamp? {
        waitsBehindEarlier ? nil : now
    }
}
