import HooklineCore

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
    /// The W3C `traceparent` of the ingest that created it, when traced: its attempts continue that trace.
    public var traceParent: String?

    public init(
        delivery: Delivery, webhook: Webhook, values: JSONObject, payload: RenderedPayload?, scheduleAttempts: Int,
        scheduleStartedAt: Timestamp, traceParent: String? = nil
    ) {
        self.traceParent = traceParent
        self.delivery = delivery
        self.webhook = webhook
        self.values = values
        self.payload = payload
        self.scheduleAttempts = scheduleAttempts
        self.scheduleStartedAt = scheduleStartedAt
    }
}

/// The result of sending a job, to be recorded.
///
/// A class, and immutable: a result passes through the worker's record queue, its batch and the
/// store's statements, and each copy of a struct of some twenty strings and arrays retained them all.
public final class AttemptResult: Sendable {
    public let deliveryID: String
    public let attempt: Attempt
    public let verdict: DeliveryJudge.Verdict
    /// Set when this attempt rendered the payload (the first one).
    public let renderedPayload: RenderedPayload?
    /// Values the answer gave for the call or lead; kept only when the delivery is delivered.
    public let captured: JSONObject
    /// The worker that held the lease for this attempt; nil when unknown.
    public let leaseOwner: String?
    /// The receiver asked for a pause of the whole webhook (`DeliveryJudge.webhookPause`).
    public let pausesWebhookUntil: Timestamp?
    public let now: Timestamp
    /// Where the delivery belongs, as its job said; nil when the caller knows only its id, and the
    /// store reads it (PostgreSQL: a round trip more, before it locks the call and the webhook).
    public let keys: DeliveryKeys?

    public init(
        deliveryID: String, attempt: Attempt, verdict: DeliveryJudge.Verdict, renderedPayload: RenderedPayload?, captured: JSONObject = JSONObject(),
        leaseOwner: String? = nil, pausesWebhookUntil: Timestamp? = nil, now: Timestamp, keys: DeliveryKeys? = nil
    ) {
        self.keys = keys
        self.pausesWebhookUntil = pausesWebhookUntil
        self.deliveryID = deliveryID
        self.leaseOwner = leaseOwner
        self.attempt = attempt
        self.verdict = verdict
        self.renderedPayload = renderedPayload
        self.captured = captured
        self.now = now
    }
}

/// A delivery's account, webhook, and the call or lead it is about: what its record locks. None of
/// them changes after the delivery is written.
public struct DeliveryKeys: Sendable, Hashable {
    public var accountID: String
    public var webhookID: String
    public var subjectKind: SubjectKind
    public var subjectID: String

    public init(accountID: String, webhookID: String, subjectKind: SubjectKind, subjectID: String) {
        self.accountID = accountID
        self.webhookID = webhookID
        self.subjectKind = subjectKind
        self.subjectID = subjectID
    }

    public init(_ delivery: Delivery) {
        self.init(accountID: delivery.accountID, webhookID: delivery.webhookID, subjectKind: SubjectKind(delivery.eventKind), subjectID: delivery.subjectID)
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
