/// What a source reported, as the store applies it: a state change of a call or lead, recorded
/// with its event and its deliveries in one transaction.
public enum IngestCommand: Sendable, Hashable {
    case beginCall(callID: String, values: JSONObject)
    /// `laterAsUpdate`: a source that reports a call's end again with more (a provider's after-call
    /// webhook resent with its recording) updates the call instead of being answered as a repeat.
    case endCall(callID: String, values: JSONObject, laterAsUpdate: Bool = false)
    case updateCall(callID: String, values: JSONObject)
    case convertCall(callID: String, conversionID: String, values: JSONObject)
    case createLead(leadID: String, values: JSONObject)
    case updateLead(leadID: String, values: JSONObject)
    case addMessage(leadID: String, messageID: String, values: JSONObject)
    /// Raised by Hookline about one of the account's webhooks, for its notification channels.
    case alert(Alert)

    public var kind: EventKind {
        switch self {
        case .beginCall: .callBegin
        case .endCall: .callEnd
        case .updateCall: .callUpdated
        case .convertCall: .callConverted
        case .createLead: .leadCreated
        case .updateLead: .leadUpdated
        case .addMessage: .leadMessage
        case .alert(let alert): alert.kind
        }
    }

    public var subjectID: String {
        switch self {
        case .beginCall(let id, _), .endCall(let id, _, _), .updateCall(let id, _), .convertCall(let id, _, _), .createLead(let id, _),
            .updateLead(let id, _), .addMessage(let id, _, _):
            id
        case .alert(let alert): alert.webhookID
        }
    }

    /// The id of what the command creates or changes: the call, the lead, the message or the
    /// conversion.
    public var resourceID: String {
        switch self {
        case .addMessage(_, let messageID, _): messageID
        case .convertCall(_, let conversionID, _): conversionID
        default: subjectID
        }
    }
}
