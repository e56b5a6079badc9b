/// Where a delivery stands. A delivery being sent is still `pending`, with a lease.
public enum DeliveryStatus: String, Sendable, CaseIterable, Codable {
    case pending, delivered, dead
    /// Pending, and waiting for its call's later data (a webhook's `hold`) before it may go.
    case held

    /// What a row's stored status means: a held delivery is stored pending, with the time its hold ends.
    public init?(stored: String, heldUntil: Timestamp?) {
        guard let status = DeliveryStatus(rawValue: stored), status != .held else { return nil }
        self = status == .pending && heldUntil != nil ? .held : status
    }
}

/// Why an attempt failed.
public enum AttemptErrorKind: String, Sendable, CaseIterable, Codable {
    /// The connection could not be made (refused, unreachable, connect timeout, DNS).
    case connect
    /// The receiver did not answer within the timeout.
    case timeout
    case tls
    /// The connection broke before a whole answer arrived.
    case network
    /// The receiver answered with a status that is not a success code.
    case status
    /// The answer had a success code but not what the webhook's answer rule requires.
    case answer
    /// The template could not be rendered with the event's values.
    case render
    /// The destination resolves to an address webhooks may not reach (private, loopback, …).
    case destination
}

/// One message to one webhook, for one event: the outbox row.
public struct Delivery: Sendable, Hashable, Identifiable {
    public var id: String
    public var accountID: String
    public var webhookID: String
    public var eventID: String
    public var eventKind: EventKind
    /// The call or lead the event belongs to.
    public var subjectID: String
    public var status: DeliveryStatus
    public var attemptCount: Int
    public var nextAttemptAt: Timestamp?
    public var createdAt: Timestamp
    public var updatedAt: Timestamp
    public var lastResponseStatus: Int?
    public var lastError: String?
    /// The source that reported the delivery's call or lead, when one did: read with the delivery
    /// from its call or lead, for people; the outbox row does not keep it.
    public var sourceID: String?
    /// The version of the call or lead it renders (`Call.version`): its event's, or the one its
    /// hold's release saw. Read with it for people.
    public var subjectVersion: Int?
    /// While held: when the hold ends, and the tokens it waits for.
    public var heldUntil: Timestamp?
    public var heldFor: [String]

    public init(
        id: String, accountID: String, webhookID: String, eventID: String, eventKind: EventKind, subjectID: String,
        status: DeliveryStatus, attemptCount: Int, nextAttemptAt: Timestamp?, createdAt: Timestamp, updatedAt: Timestamp,
        lastResponseStatus: Int?, lastError: String?, sourceID: String? = nil, subjectVersion: Int? = nil, heldUntil: Timestamp? = nil,
        heldFor: [String] = []
    ) {
        self.subjectVersion = subjectVersion
        self.heldUntil = heldUntil
        self.heldFor = heldFor
        self.id = id
        self.accountID = accountID
        self.webhookID = webhookID
        self.eventID = eventID
        self.eventKind = eventKind
        self.subjectID = subjectID
        self.status = status
        self.attemptCount = attemptCount
        self.nextAttemptAt = nextAttemptAt
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.lastResponseStatus = lastResponseStatus
        self.lastError = lastError
        self.sourceID = sourceID
    }
}

/// The HTTP request of an attempt, with secrets already redacted.
public struct RecordedRequest: Sendable, Hashable {
    public var method: String
    public var url: String
    public var headers: [HeaderField]
    public var body: String

    public init(method: String, url: String, headers: [HeaderField], body: String) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }
}

public struct RecordedResponse: Sendable, Hashable {
    public var status: Int
    public var headers: [HeaderField]
    /// The first `Attempt.maximumRecordedBody` bytes of the answer.
    public var body: String
    public var bodyTruncated: Bool

    public init(status: Int, headers: [HeaderField], body: String, bodyTruncated: Bool) {
        self.status = status
        self.headers = headers
        self.body = body
        self.bodyTruncated = bodyTruncated
    }
}

/// One try at sending a delivery, as recorded.
public struct Attempt: Sendable, Hashable {
    public static let maximumRecordedBody = 64 * 1024

    public var number: Int
    public var startedAt: Timestamp
    public var durationMilliseconds: Int
    public var request: RecordedRequest
    public var response: RecordedResponse?
    public var errorKind: AttemptErrorKind?
    public var errorMessage: String?

    public init(
        number: Int, startedAt: Timestamp, durationMilliseconds: Int, request: RecordedRequest, response: RecordedResponse?,
        errorKind: AttemptErrorKind?, errorMessage: String?
    ) {
        self.number = number
        self.startedAt = startedAt
        self.durationMilliseconds = durationMilliseconds
        self.request = request
        self.response = response
        self.errorKind = errorKind
        self.errorMessage = errorMessage
    }

    public var succeeded: Bool { errorKind == nil }
}
