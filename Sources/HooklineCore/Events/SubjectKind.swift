/// What an event is about: a call or a lead. Per-call order and captures are kept per subject, and
/// a call's and a lead's ids may be equal.
public enum SubjectKind: String, Sendable, CaseIterable, Codable {
    case call, lead

    public init(_ kind: EventKind) {
        switch kind {
        case .callBegin, .callEnd: self = .call
        case .leadCreated, .leadMessage: self = .lead
        }
    }

    /// The prefix every event kind of this subject's stored name starts with (`call.`), for
    /// engines that keep the kind as text.
    public var eventKindPrefix: String { rawValue + "." }
}

extension EventKind {
    public var subject: SubjectKind { SubjectKind(self) }

    /// Whether this event creates its call or lead: its deliveries have no earlier one of the same
    /// subject to wait behind, and nothing has been captured for it yet.
    public var createsSubject: Bool { self == .callBegin || self == .leadCreated }

    /// The token that says when the event happened; stamped with the time Hookline received it
    /// when the source does not say.
    public var timeToken: String {
        switch self {
        case .callBegin: "call_start_time"
        case .callEnd: "call_end_time"
        case .leadCreated: "lead_created_at"
        case .leadMessage: "message_sent_at"
        }
    }

    /// `values` with the event's time set to `received` where the source gave none.
    public func stamped(_ values: JSONObject, received: Timestamp) -> JSONObject {
        guard values[timeToken]?.isNull ?? true else { return values }
        var values = values
        values[timeToken] = .string(received.iso8601)
        return values
    }
}
