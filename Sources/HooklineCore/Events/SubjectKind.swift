/// What an event is about: a call or a lead, or for an alert the webhook it is about. Per-call
/// order and captures are kept per subject, and a call's and a lead's ids may be equal.
public enum SubjectKind: String, Sendable, CaseIterable, Codable {
    case call, lead, webhook

    public init(_ kind: EventKind) {
        switch kind {
        case .callBegin, .callEnd, .callUpdated, .callConverted: self = .call
        case .leadCreated, .leadUpdated, .leadMessage: self = .lead
        case .webhookFailing, .webhookRecovered, .webhookDisabled, .deliveryDead: self = .webhook
        }
    }

    /// A call's or lead's id as sent: text, or a whole number written out; it names the subject
    /// in paths (`/v1/calls/{id}`), so it holds no `/` and no control character. Counted in
    /// Unicode scalars, so a stored id is at most 800 bytes whatever combining marks it carries
    /// (PostgreSQL's btree refuses keys past about 2,700). Every route and source kind checks it.
    public static func id(_ value: JSONValue?) -> String? {
        let text = value?.integerValue.map { String($0) } ?? value?.stringValue
        guard let text, !text.isEmpty, text.unicodeScalars.count <= 200,
            !text.unicodeScalars.contains(where: { $0 == "/" || $0.properties.generalCategory == .control })
        else { return nil }
        return text
    }

    public static let idRule = "a non-empty string of at most 200 characters without '/' or control characters, or a whole number"
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
        case .callUpdated, .leadUpdated: "updated_at"
        case .callConverted: "converted_at"
        case .leadCreated: "lead_created_at"
        case .leadMessage: "message_sent_at"
        case .webhookFailing, .webhookRecovered, .webhookDisabled, .deliveryDead: "alert_time"
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
