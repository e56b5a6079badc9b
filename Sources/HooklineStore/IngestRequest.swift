import HooklineCore

/// A key that makes a repeated request a no-op; `fingerprint` identifies the request it was first
/// used with, so reusing a key for another request is refused.
public struct IdempotencyKey: Sendable, Hashable {
    public var key: String
    public var fingerprint: String

    public init(key: String, fingerprint: String) {
        self.key = key
        self.fingerprint = fingerprint
    }
}

public struct IngestRequest: Sendable {
    public var accountID: String
    public var command: IngestCommand
    public var idempotencyKey: IdempotencyKey?
    /// The campaign and location the source named; the store fills in the rest from the tracking
    /// number (a call's end keeps what its begin had).
    public var routing: RoutingContext
    public var now: Timestamp
    /// Slots of a worker in this process: deliveries that may go at once are stored leased to it
    /// and come back in the result, instead of waiting for the worker to lease them.
    public var leaseOffer: (any LeaseOffer)?
    /// The W3C `traceparent` of the ingest's span, stored with the event when tracing is on.
    public var traceParent: String?

    public init(
        accountID: String, command: IngestCommand, idempotencyKey: IdempotencyKey?, routing: RoutingContext = RoutingContext(), now: Timestamp,
        leaseOffer: (any LeaseOffer)? = nil
    ) {
        self.accountID = accountID
        self.command = command
        self.idempotencyKey = idempotencyKey
        self.routing = routing
        self.now = now
        self.leaseOffer = leaseOffer
    }
}

/// An accepted event: its receipt, and the deliveries leased to the offer that came with it.
public struct IngestResult: Sendable {
    public var receipt: IngestReceipt
    public var leased: [DeliveryJob]
    /// Held deliveries of the call the event released: due now, for the worker to lease.
    public var releasedHolds: Int

    public init(receipt: IngestReceipt, leased: [DeliveryJob] = [], releasedHolds: Int = 0) {
        self.receipt = receipt
        self.leased = leased
        self.releasedHolds = releasedHolds
    }
}

/// What ingest answers, stored so that a repeat gets the same answer.
public struct IngestReceipt: Sendable, Hashable, Codable {
    /// The call, lead, message or conversion id.
    public var id: String
    /// Nil when an update changed nothing: no event, nothing sent.
    public var eventID: String?
    public var kind: EventKind
    public var subjectID: String
    public var receivedAt: Timestamp
    public var deliveryIDs: [String]
    /// What an update or an end changed of what was known.
    public var changedFields: [String]?
    /// The call's or lead's version after the event.
    public var version: Int?

    public init(
        id: String, eventID: String?, kind: EventKind, subjectID: String, receivedAt: Timestamp, deliveryIDs: [String], changedFields: [String]? = nil,
        version: Int? = nil
    ) {
        self.id = id
        self.eventID = eventID
        self.kind = kind
        self.subjectID = subjectID
        self.receivedAt = receivedAt
        self.deliveryIDs = deliveryIDs
        self.changedFields = changedFields
        self.version = version
    }

    /// The answer to an update that changed nothing.
    public static func unchanged(_ command: IngestCommand, now: Timestamp, version: Int) -> IngestReceipt {
        IngestReceipt(
            id: command.resourceID, eventID: nil, kind: command.kind, subjectID: command.subjectID, receivedAt: now, deliveryIDs: [], changedFields: [],
            version: version)
    }
}
