/// What an attempt does to its endpoint's health.
public struct HealthTransition: Sendable, Equatable {
    public var health: EndpointHealth
    /// A failing endpoint answered: every delivery waiting for a later retry is due at once.
    public var flushesWaiting: Bool

    /// Nil when the health does not change (the common case: a healthy endpoint answering).
    ///
    /// - Parameters:
    ///   - earliestScheduled: the earliest due time, after `now`, of the webhook's waiting
    ///     deliveries that are not leased: one scheduled before the probe interval is up is probed
    ///     at its own time.
    ///   - pauseUntil: the pause the answer asked for (`DeliveryJudge.webhookPause`); a pause
    ///     already running is kept until its end, whichever is later.
    public static func after(
        _ current: EndpointHealth, attempt: Attempt, now: Timestamp, probeInterval: Double, earliestScheduled: Timestamp?,
        pauseUntil: Timestamp? = nil
    ) -> HealthTransition? {
        var (health, recovered) = current.after(success: attempt.succeeded, error: attempt.errorMessage, now: now, probeInterval: probeInterval)
        if let probe = health.nextProbeAt, let earliestScheduled, earliestScheduled < probe {
            health.nextProbeAt = earliestScheduled
        }
        health.pausedUntil = [current.isPaused(at: now) ? current.pausedUntil : nil, pauseUntil].compactMap { $0 }.max()
        guard health != current else { return nil }
        return HealthTransition(health: health, flushesWaiting: recovered)
    }

    /// Whether an attempt could change `current`: a success at a healthy endpoint with no failures
    /// changes nothing, and engines skip reading the rest; an answer asking for a pause always does.
    public static func mayChange(_ current: EndpointHealth.State, consecutiveFailures: Int, succeeded: Bool, pauses: Bool = false) -> Bool {
        pauses || !(succeeded && current == .healthy && consecutiveFailures == 0)
    }
}
