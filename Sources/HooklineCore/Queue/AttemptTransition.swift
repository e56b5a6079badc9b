/// What recording an attempt does: to its delivery, to the next delivery of its call, to what is
/// known of the call, to its webhook and to its endpoint's health. Every store engine writes what
/// this says; none decides it.
public struct AttemptTransition: Sendable, Equatable {
    /// The delivery's status after the attempt. Applied only when `changesDelivery`.
    public var status: DeliveryStatus
    /// Whether the attempt changes its delivery (status, due time, lease) at all. A late duplicate
    /// never undoes a delivery; an attempt whose lease ran out and went to another worker only
    /// adds to the record, unless it delivered (the other's send is then the duplicate).
    public var changesDelivery: Bool
    /// When a still pending delivery is due again.
    public var nextAttemptAt: Timestamp?
    /// A failed attempt counts toward the retry schedule.
    public var schedulesAttempt: Bool
    /// The delivery left pending: the next delivery of its call or lead to the same webhook,
    /// waiting behind it, is due now.
    public var releasesNextOfSubject: Bool
    /// Values the answer gave, to merge into what is known of the call or lead.
    public var captures: JSONObject
    /// The receiver said 410 Gone: the webhook is disabled, with this reason.
    public var disablesWebhook: String?
    /// Whether the attempt says anything about the receiver (a template that cannot render does not).
    public var judgesEndpoint: Bool

    public static let goneReason = "the receiver answered 410 Gone"

    /// The delivery died here: its webhook's count of dead deliveries, which alerts sum up, grows.
    public var countsDead: Bool { changesDelivery && status == .dead }

    /// - Parameters:
    ///   - wasPending: whether the delivery was pending when the attempt is recorded.
    ///   - leaseHolder: who holds the delivery's lease now, as its row says.
    ///   - recorder: the worker recording the attempt; nil when unknown (taken as the holder).
    public init(
        verdict: DeliveryJudge.Verdict, attempt: Attempt, captured: JSONObject, wasPending: Bool, leaseHolder: String? = nil, recorder: String? = nil,
        now: Timestamp
    ) {
        switch verdict {
        case .delivered: (status, nextAttemptAt) = (.delivered, nil)
        case .retry(let at): (status, nextAttemptAt) = (.pending, at)
        case .dead: (status, nextAttemptAt) = (.dead, nil)
        // Waits, due, for the webhook to be enabled again.
        case .disableWebhook: (status, nextAttemptAt) = (.pending, now)
        }
        schedulesAttempt = !attempt.succeeded
        let leasedToAnother = leaseHolder != nil && recorder != nil && leaseHolder != recorder
        changesDelivery = wasPending && (!leasedToAnother || status == .delivered)
        releasesNextOfSubject = changesDelivery && status != .pending
        captures = changesDelivery && status == .delivered ? captured : JSONObject()
        disablesWebhook = verdict == .disableWebhook ? Self.goneReason : nil
        judgesEndpoint = attempt.errorKind != .render
    }
}
