/// A source: a provider's webhook address in Hookline (`/in/{secret}`), of one kind, with its
/// options, and counts of what it received and refused.
public struct InboundSource: Sendable, Hashable, Identifiable {
    public var id: String
    public var accountID: String
    public var name: String
    public var kind: SourceKind
    public var options: JSONObject
    public var received: Int
    public var refused: Int
    public var createdAt: Timestamp
    public var updatedAt: Timestamp

    public init(
        id: String, accountID: String, name: String, kind: SourceKind, options: JSONObject, received: Int = 0, refused: Int = 0, createdAt: Timestamp,
        updatedAt: Timestamp
    ) {
        self.id = id
        self.accountID = accountID
        self.name = name
        self.kind = kind
        self.options = options
        self.received = received
        self.refused = refused
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// Options never shown back.
    public static let secretOptions: Set<String> = ["password", "key"]


    /// Options as shown: secrets redacted.
    public var shownOptions: JSONObject {
        JSONObject(options.map { ($0.key, Self.secretOptions.contains($0.key) ? .string(Redaction.placeholder) : $0.value) })
    }
}
