public struct Call: Sendable, Hashable, Identifiable {
    public var id: String
    public var accountID: String
    public var beginValues: JSONObject
    public var endValues: JSONObject?
    public var startedAt: Timestamp
    public var endedAt: Timestamp?
    public var routing: RoutingContext
    /// Values captured from receivers' answers (a CRM's `order_id`).
    public var captured: JSONObject

    public init(
        id: String, accountID: String, beginValues: JSONObject, endValues: JSONObject?, startedAt: Timestamp, endedAt: Timestamp?,
        routing: RoutingContext = RoutingContext(), captured: JSONObject = JSONObject()
    ) {
        self.id = id
        self.accountID = accountID
        self.beginValues = beginValues
        self.endValues = endValues
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.routing = routing
        self.captured = captured
    }

    /// Every value the source reported: what the call began with, updated by what it ended with.
    public var values: JSONObject {
        endValues.map(beginValues.merging) ?? beginValues
    }
}

public struct Lead: Sendable, Hashable, Identifiable {
    public var id: String
    public var accountID: String
    public var values: JSONObject
    public var createdAt: Timestamp
    public var messageCount: Int
    public var routing: RoutingContext
    /// Values captured from receivers' answers (a CRM's `order_id`).
    public var captured: JSONObject

    public init(
        id: String, accountID: String, values: JSONObject, createdAt: Timestamp, messageCount: Int, routing: RoutingContext = RoutingContext(),
        captured: JSONObject = JSONObject()
    ) {
        self.id = id
        self.accountID = accountID
        self.values = values
        self.createdAt = createdAt
        self.messageCount = messageCount
        self.routing = routing
        self.captured = captured
    }
}
