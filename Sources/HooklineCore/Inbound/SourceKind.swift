/// What a source takes in: a provider's own webhook, read as Hookline events.
public enum SourceKind: String, Sendable, CaseIterable, Codable {
    /// Roistat's call webhook: JSON at the moment of the call and after it.
    case roistatCall = "roistat.call"
    /// Roistat's own-CRM webhook: GET with `action=lead` or `action=message`.
    case roistatCRM = "roistat.crm"
    /// Envybox's webhook: a form POST whose `webhooktype` says what happened.
    case envybox
    /// Any tracker's JSON, read by rules built from an example of it (`JSONSourceRules`).
    case json

    /// Options a source of this kind may hold.
    public var optionNames: Set<String> {
        switch self {
        case .roistatCall: []
        case .roistatCRM: ["user", "password"]
        case .envybox: ["key"]
        case .json: JSONSourceRules.optionNames
        }
    }
}

/// One event a provider's request amounts to, with its values checked against the catalogue.
public struct InboundEvent: Sendable, Equatable {
    public var kind: EventKind
    /// The call's or lead's id.
    public var subjectID: String
    public var values: JSONObject

    public init(kind: EventKind, subjectID: String, values: JSONObject) {
        self.kind = kind
        self.subjectID = subjectID
        self.values = values
    }
}

/// What a provider sent to a source's URL.
public struct InboundRequest: Sendable {
    public var method: String
    /// The query string's pairs, decoded, in order.
    public var query: [(name: String, value: String)]
    public var contentType: String?
    public var body: [UInt8]

    public init(method: String, query: [(name: String, value: String)], contentType: String?, body: [UInt8]) {
        self.method = method
        self.query = query
        self.contentType = contentType
        self.body = body
    }
}

/// Why a request was refused, to answer and to count.
public enum InboundRefusal: Error, Sendable, Equatable {
    /// The body cannot be read as the provider sends it: a 400 naming what is wrong.
    case unreadable(FieldError)
    /// The provider's credentials (Roistat's md5 token, Envybox's key) do not match: a 403.
    case forbidden(String)
}
