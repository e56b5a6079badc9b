/// What happened: the triggers a webhook subscribes to.
public enum EventKind: String, Sendable, CaseIterable, Codable {
    case callBegin = "call.begin"
    case callEnd = "call.end"
    /// Something known of a call changed after it was reported: a recording, a tag, a score.
    case callUpdated = "call.updated"
    /// A sale or outcome was recorded against a call.
    case callConverted = "call.converted"
    case leadCreated = "lead.created"
    case leadUpdated = "lead.updated"
    case leadMessage = "lead.message"

    /// The token categories a source may send with this kind of event.
    public var acceptedCategories: Set<TokenCategory> {
        switch self {
        case .callBegin: [.callBegin, .dni, .locationInfo, .source]
        case .callEnd: [.callBegin, .callEnd, .afterCall, .dni, .locationInfo, .source]
        case .callUpdated: [.callBegin, .callEnd, .afterCall, .dni, .locationInfo, .source]
        case .callConverted: [.conversion]
        case .leadCreated: [.lead, .dni, .locationInfo, .source]
        case .leadUpdated: [.lead, .dni, .locationInfo, .source]
        case .leadMessage: [.message, .source]
        }
    }

    /// Where a value of another category belongs, for the error message.
    var endpointHint: String {
        switch self {
        case .callBegin: "POST /v1/calls"
        case .callEnd: "POST /v1/calls/{id}/end"
        case .callUpdated: "PATCH /v1/calls/{id}"
        case .callConverted: "POST /v1/conversions"
        case .leadCreated: "POST /v1/leads"
        case .leadUpdated: "PATCH /v1/leads/{id}"
        case .leadMessage: "POST /v1/messages"
        }
    }
}
