import HooklineCore
import Synchronization

public struct Account: Sendable, Hashable, Identifiable {
    public var id: String
    public var name: String
    public var createdAt: Timestamp

    public init(id: String, name: String, createdAt: Timestamp) {
        self.id = id
        self.name = name
        self.createdAt = createdAt
    }
}

/// When an attempt went, how long it took and whether the receiver took it: a chart's figures.
public struct AttemptTiming: Sendable, Hashable {
    /// The start of the hour the attempts began in.
    public var hour: Timestamp
    public var durationMilliseconds: Int
    public var succeeded: Bool
    /// How many attempts of that hour had this duration and outcome.
    public var count: Int

    public init(hour: Timestamp, durationMilliseconds: Int, succeeded: Bool, count: Int) {
        self.hour = hour
        self.durationMilliseconds = durationMilliseconds
        self.succeeded = succeeded
        self.count = count
    }
}

/// A user with what signing in checks.
public struct UserCredentials: Sendable {
    public var user: User
    /// bcrypt.
    public var passwordHash: String

    public init(user: User, passwordHash: String) {
        self.user = user
        self.passwordHash = passwordHash
    }
}

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
    public var leaseOffer: LeaseOffer?

    public init(
        accountID: String, command: IngestCommand, idempotencyKey: IdempotencyKey?, routing: RoutingContext = RoutingContext(), now: Timestamp,
        leaseOffer: LeaseOffer? = nil
    ) {
        self.accountID = accountID
        self.command = command
        self.idempotencyKey = idempotencyKey
        self.routing = routing
        self.now = now
        self.leaseOffer = leaseOffer
    }
}

/// A worker's free slots, offered to ingest, to attempt records and to the worker's own lease. The
/// store claims one per delivery it leases, while it leases, so slots nobody needs stay free for
/// the others; the worker takes back what was claimed but not handed over (a write that failed).
public final class LeaseOffer: Sendable {
    public let owner: String
    public let leaseUntil: Timestamp
    /// The worker's attempts answered but not yet recorded: they no longer count in flight.
    public let answered: AnsweredAttempts
    private let take: @Sendable () -> Bool
    private let claims = Atomic<Int>(0)

    /// `take` reserves one of the worker's slots, or answers false when none is free.
    public init(owner: String, leaseUntil: Timestamp, answered: AnsweredAttempts = AnsweredAttempts(), take: @escaping @Sendable () -> Bool) {
        self.owner = owner
        self.leaseUntil = leaseUntil
        self.answered = answered
        self.take = take
    }

    public func claim() -> Bool {
        guard take() else { return false }
        claims.add(1, ordering: .relaxed)
        return true
    }

    /// Claims up to `count` slots, one by one while the worker grants them; answers how many.
    public func claim(upTo count: Int) -> Int {
        var claimed = 0
        while claimed < count, claim() { claimed += 1 }
        return claimed
    }

    /// Slots claimed so far.
    public var claimed: Int { claims.load(ordering: .relaxed) }
}

/// An accepted event: its receipt, and the deliveries leased to the offer that came with it.
public struct IngestResult: Sendable {
    public var receipt: IngestReceipt
    public var leased: [DeliveryJob]

    public init(receipt: IngestReceipt, leased: [DeliveryJob] = []) {
        self.receipt = receipt
        self.leased = leased
    }
}

/// What ingest answers, stored so that a repeat gets the same answer.
public struct IngestReceipt: Sendable, Hashable, Codable {
    /// The call, lead or message id.
    public var id: String
    public var eventID: String
    public var kind: EventKind
    public var subjectID: String
    public var receivedAt: Timestamp
    public var deliveryIDs: [String]

    public init(id: String, eventID: String, kind: EventKind, subjectID: String, receivedAt: Timestamp, deliveryIDs: [String]) {
        self.id = id
        self.eventID = eventID
        self.kind = kind
        self.subjectID = subjectID
        self.receivedAt = receivedAt
        self.deliveryIDs = deliveryIDs
    }
}

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

/// A due delivery leased to a worker, with all it needs to send it.
public struct DeliveryJob: Sendable {
    public var delivery: Delivery
    public var webhook: Webhook
    /// The event's token values, for the first rendering.
    public var values: JSONObject
    public var payload: RenderedPayload?
    /// Failed attempts since the retry schedule (re)started.
    public var scheduleAttempts: Int
    public var scheduleStartedAt: Timestamp

    public init(
        delivery: Delivery, webhook: Webhook, values: JSONObject, payload: RenderedPayload?, scheduleAttempts: Int,
        scheduleStartedAt: Timestamp
    ) {
        self.delivery = delivery
        self.webhook = webhook
        self.values = values
        self.payload = payload
        self.scheduleAttempts = scheduleAttempts
        self.scheduleStartedAt = scheduleStartedAt
    }
}

/// The result of sending a job, to be recorded.
public struct AttemptResult: Sendable {
    public var deliveryID: String
    public var attempt: Attempt
    public var verdict: DeliveryJudge.Verdict
    /// Set when this attempt rendered the payload (the first one).
    public var renderedPayload: RenderedPayload?
    /// Values the answer gave for the call or lead; kept only when the delivery is delivered.
    public var captured: JSONObject
    /// The worker that held the lease for this attempt; nil when unknown.
    public var leaseOwner: String?
    public var now: Timestamp

    public init(
        deliveryID: String, attempt: Attempt, verdict: DeliveryJudge.Verdict, renderedPayload: RenderedPayload?, captured: JSONObject = JSONObject(),
        leaseOwner: String? = nil, now: Timestamp
    ) {
        self.deliveryID = deliveryID
        self.leaseOwner = leaseOwner
        self.attempt = attempt
        self.verdict = verdict
        self.renderedPayload = renderedPayload
        self.captured = captured
        self.now = now
    }
}
