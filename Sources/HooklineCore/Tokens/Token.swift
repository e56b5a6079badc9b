/// The type a token's value must have; ingest validates against it and templates render by it.
public enum TokenType: String, Sendable, CaseIterable {
    case string, integer, decimal, boolean, timestamp, object, array
    /// Text or a whole number, kept as sent: CRM deal ids are either.
    case identifier
}

/// Where a token's value comes from; also how the catalogue is grouped for users.
public enum TokenCategory: String, Sendable, CaseIterable {
    case callBegin = "call_begin"
    case callEnd = "call_end"
    case dni
    case locationInfo = "location_info"
    case lead
    case message
    /// What is known of a call only after it ends: a transcript, a score, a note, a value.
    case afterCall = "after_call"
    /// A sale or outcome recorded against a call (`POST /v1/conversions`).
    case conversion
    /// Computed by Hookline for an update: what changed and what it was; never sent by a source.
    case update
    /// What a source kept of a provider's payload that no token names; every event takes it.
    case source
    /// Computed by a preset when it renders (Roistat's `token`, Envybox's `webhooktype`); never
    /// sent by a source.
    case preset
    /// What an alert says of one of the account's webhooks; computed by Hookline, sent only to
    /// notification channels.
    case alert
}

/// One entry of the token catalogue: a value a source may send and a template may reference as
/// `%name%`.
public struct Token: Sendable, Hashable {
    public let name: String
    public let category: TokenCategory
    public let type: TokenType
    public let description: String
    public let example: JSONValue
    /// When set, a string value must be one of these.
    public let allowedValues: [String]?
    /// When set, an integer value must lie in it (durations and counts are never negative).
    public let range: ClosedRange<Int64>?

    public init(
        _ name: String, _ category: TokenCategory, _ type: TokenType, _ description: String, example: JSONValue,
        allowedValues: [String]? = nil, range: ClosedRange<Int64>? = nil
    ) {
        self.range = range
        self.name = name
        self.category = category
        self.type = type
        self.description = description
        self.example = example
        self.allowedValues = allowedValues
    }
}
