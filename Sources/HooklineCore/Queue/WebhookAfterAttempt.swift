/// What recording an attempt does to its webhook, decided in two steps so that an engine reads
/// only what the decision needs: from the health columns it has at hand, whether anything may
/// change (a healthy endpoint answering, the common case, changes nothing and reads nothing more);
/// then, given the webhook's earliest scheduled delivery, the new health (`health(of:…)`).
public struct WebhookAfterAttempt: Sendable, Equatable {
    /// The receiver said 410 Gone: the webhook is disabled with this reason (`Webhook.disabled`).
    public var disabledReason: String?
    /// Whether the endpoint's health may change: the engine reads the webhook's earliest scheduled
    /// delivery and asks `health(of:…)`.
    public var judgesHealth: Bool
    /// The receiver asked that nothing of the webhook's be sent before this time.
    public var pauseUntil: Timestamp?

    public init(_ transition: AttemptTransition, attempt: Attempt, state: EndpointHealth.State, consecutiveFailures: Int, pauseUntil: Timestamp? = nil) {
        disabledReason = transition.disablesWebhook
        self.pauseUntil = transition.judgesEndpoint ? pauseUntil : nil
        judgesHealth =
            transition.judgesEndpoint
            && HealthTransition.mayChange(state, consecutiveFailures: consecutiveFailures, succeeded: attempt.succeeded, pauses: pauseUntil != nil)
    }

    /// Whether the engine writes anything to the webhook at all.
    public var changesWebhook: Bool { disabledReason != nil || judgesHealth }

    /// The endpoint's new health and whether its waiting deliveries are due at once; nil when it
    /// stays as it is.
    ///
    /// - Parameter earliestScheduled: the earliest due time, after `now`, of the webhook's waiting
    ///   deliveries that are not leased.
    public func health(of webhook: Webhook, after attempt: Attempt, now: Timestamp, earliestScheduled: Timestamp?) -> HealthTransition? {
        guard judgesHealth else { return nil }
        return HealthTransition.after(
            webhook.health, attempt: attempt, now: now, probeInterval: webhook.settings.probeInterval, earliestScheduled: earliestScheduled,
            pauseUntil: pauseUntil)
    }
}

extension Webhook {
    /// The webhook disabled by Hookline (not by its user), saying why; its pending deliveries wait
    /// for it to be enabled again.
    public func disabled(reason: String) -> Webhook {
        var webhook = self
        webhook.settings.enabled = false
        webhook.disabledReason = reason
        return webhook
    }
}
