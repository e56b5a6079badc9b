public struct Call: Sendable, Hashable, Identifiable {
    public var id: String
    public var accountID: String
    public var beginValues: JSONObject
    public var endValues: JSONObject?
    /// What updates and conversions set after the call was reported.
    public var laterValues: JSONObject
    /// How many events the call has had: its begin is version 1; each end, update and conversion
    /// adds one. A delivery records the version it renders.
    public var version: Int
    public var startedAt: Timestamp
    public var endedAt: Timestamp?
    public var routing: RoutingContext
    /// Values captured from receivers' answers (a CRM's `order_id`).
    public var captured: JSONObject

    public init(
        id: String, accountID: String, beginValues: JSONObject, endValues: JSONObject?, laterValues: JSONObject = JSONObject(), version: Int = 1,
        startedAt: Timestamp, endedAt: Timestamp?, routing: RoutingContext = RoutingContext(), captured: JSONObject = JSONObject()
    ) {
        self.id = id
        self.accountID = accountID
        self.beginValues = beginValues
        self.endValues = endValues
        self.laterValues = laterValues
        self.version = version
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.routing = routing
        self.captured = captured
    }

    public var stored: CallValues { CallValues(begin: beginValues, end: endValues, later: laterValues) }

    /// Every value reported: what the call began with, updated by what it ended with and by what
    /// was reported later.
    public var values: JSONObject { stored.current }
}

public struct Lead: Sendable, Hashable, Identifiable {
    public var id: String
    public var accountID: String
    public var values: JSONObject
    public var createdAt: Timestamp
    public var messageCount: Int
    /// How many events the lead has had: its creation is version 1; each message and update adds one.
    public var version: Int
    public var routing: RoutingContext
    /// Values captured from receivers' answers (a CRM's `order_id`).
    public var captured: JSONObject

    public init(
        id: String, accountID: String, values: JSONObject, createdAt: Timestamp, messageCount: Int, version: Int = 1,
        routing: RoutingContext = RoutingContext(), captured: JSONObject = JSONObject()
    ) {
        self.version = version
        self.id = id
        self.accountID = accountID
        self.values = values
        self.createdAt = createdAt
        self.messageCount = messageCount
        self.routing = routing
        self.captured = captured
    }
}
