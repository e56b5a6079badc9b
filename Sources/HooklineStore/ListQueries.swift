import HooklineCore

/// A page of a list, newest first; pass `nextCursor` back to get the next page.
public struct Page<Item: Sendable>: Sendable {
    public var items: [Item]
    public var nextCursor: String?

    public init(items: [Item], nextCursor: String?) {
        self.items = items
        self.nextCursor = nextCursor
    }
}

public struct PageRequest: Sendable, Hashable {
    public static let maximumLimit = 500
    public var limit: Int
    /// Items older than this id (an id from the previous page).
    public var cursor: String?

    public init(limit: Int = 50, cursor: String? = nil) {
        self.limit = limit
        self.cursor = cursor
    }
}

public struct DeliveryFilter: Sendable, Hashable {
    public var webhookID: String?
    public var subjectID: String?
    public var status: DeliveryStatus?

    public init(webhookID: String? = nil, subjectID: String? = nil, status: DeliveryStatus? = nil) {
        self.webhookID = webhookID
        self.subjectID = subjectID
        self.status = status
    }
}
