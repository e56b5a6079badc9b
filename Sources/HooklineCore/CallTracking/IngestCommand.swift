/// What a source reported, as the store applies it: a state change of a call or lead, recorded
/// with its event and its deliveries in one transaction.
public enum IngestCommand: Sendable, Hashable {
    case beginCall(callID: String, values: JSONObject)
    case endCall(callID: String, values: JSONObject)
    case createLead(leadID: String, values: JSONObject)
    case addMessage(leadID: String, messageID: String, values: JSONObject)

    public var kind: EventKind {
        switch self {
        case .beginCall: .callBegin
        case .endCall: .callEnd
        case .createLead: .leadCreated
        case .addMessage: .leadMessage
        }
    }

    public var subjectID: String {
        switch self {
        case .beginCall(let id, _), .endCall(let id, _), .createLead(let id, _), .addMessage(let id, _, _): id
        }
    }

    /// The id of what the command creates: the call, the lead, or the message.
    public var resourceID: String {
        if case .addMessage(_, let messageID, _) = self { return messageID }
        return subjectID
    }
}
