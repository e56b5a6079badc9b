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
    /// Alerts about the account's own webhooks, sent only to its notification channels.
    case webhookFailing = "webhook.failing"
    case webhookRecovered = "webhook.recovered"
    case webhookDisabled = "webhook.disabled"
    /// A digest: how many deliveries of one webhook died since the previous one.
    case deliveryDead = "delivery.dead"

    /// What a source reports of calls and leads: what an ordinary webhook subscribes to.
    public static let reported: [EventKind] = allCases.filter { $0.subject != .webhook }
    /// What Hookline says of the account's webhooks: what a notification channel subscribes to.
    public static let alerts: [EventKind] = allCases.filter { $0.subject == .webhook }

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
        case .webhookFailing, .webhookRecovered, .webhookDisabled, .deliveryDead: [.alert]
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
        case .webhookFailing, .webhookRecovered, .webhookDisabled, .deliveryDead: "no route: Hookline sends alerts itself"
        }
    }
}
