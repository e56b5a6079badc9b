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

/// What an attempt does to its endpoint's health.
public struct HealthTransition: Sendable, Equatable {
    public var health: EndpointHealth
    /// A failing endpoint answered: every delivery waiting for a later retry is due at once.
    public var flushesWaiting: Bool

    /// Nil when the health does not change (the common case: a healthy endpoint answering).
    ///
    /// - Parameter earliestScheduled: the earliest due time, after `now`, of the webhook's waiting
    ///   deliveries that are not leased: one scheduled before the probe interval is up is probed
    ///   at its own time.
    public static func after(
        _ current: EndpointHealth, attempt: Attempt, now: Timestamp, probeInterval: Double, earliestScheduled: Timestamp?
    ) -> HealthTransition? {
        var (health, recovered) = current.after(success: attempt.succeeded, error: attempt.errorMessage, now: now, probeInterval: probeInterval)
        if let probe = health.nextProbeAt, let earliestScheduled, earliestScheduled < probe {
            health.nextProbeAt = earliestScheduled
        }
        guard health != current else { return nil }
        return HealthTransition(health: health, flushesWaiting: recovered)
    }

    /// Whether an attempt could change `current`: a success at a healthy endpoint with no failures
    /// changes nothing, and engines skip reading the rest.
    public static func mayChange(_ current: EndpointHealth.State, consecutiveFailures: Int, succeeded: Bool) -> Bool {
        !(succeeded && current == .healthy && consecutiveFailures == 0)
    }
}
