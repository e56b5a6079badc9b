/// What happened: the triggers a webhook subscribes to.
public enum EventKind: String, Sendable, CaseIterable, Codable {
    case callBegin = "call.begin"
    case callEnd = "call.end"
    case leadCreated = "lead.created"
    case leadMessage = "lead.message"

    /// The token categories a source may send with this kind of event.
    public var acceptedCategories: Set<TokenCategory> {
        switch self {
        case .callBegin: [.callBegin, .dni, .locationInfo, .source]
        case .callEnd: [.callBegin, .callEnd, .dni, .locationInfo, .source]
        case .leadCreated: [.lead, .dni, .locationInfo, .source]
        case .leadMessage: [.message, .source]
        }
    }

    /// Where a value of another category belongs, for the error message.
    var endpointHint: String {
        switch self {
        case .callBegin: "POST /v1/calls"
        case .callEnd: "POST /v1/calls/{id}/end"
        case .leadCreated: "POST /v1/leads"
        case .leadMessage: "POST /v1/messages"
        }
    }
}
