/// Whether a webhook's receiver is answering. After `failureThreshold` consecutive failed attempts
/// it is `failing`: one probe at a time is sent instead of everything that is due; the first
/// success makes it healthy again.
public struct EndpointHealth: Sendable, Hashable {
    public enum State: String, Sendable, Codable { case healthy, failing }

    public static let failureThreshold = 5

    public var state: State
    public var consecutiveFailures: Int
    public var failingSince: Timestamp?
    public var lastError: String?
    /// When failing: the latest time the next probe is sent, whatever the retry schedule says.
    public var nextProbeAt: Timestamp?
    /// The receiver asked for a pause (429 or 503 with `Retry-After`): nothing of the webhook's is
    /// sent before this time, not only the delivery it answered.
    public var pausedUntil: Timestamp?

    public init(
        state: State = .healthy, consecutiveFailures: Int = 0, failingSince: Timestamp? = nil, lastError: String? = nil,
        nextProbeAt: Timestamp? = nil, pausedUntil: Timestamp? = nil
    ) {
        self.state = state
        self.consecutiveFailures = consecutiveFailures
        self.failingSince = failingSince
        self.lastError = lastError
        self.nextProbeAt = nextProbeAt
        self.pausedUntil = pausedUntil
    }

    /// Whether the receiver's pause still holds at `now`.
    public func isPaused(at now: Timestamp) -> Bool { pausedUntil.map { $0 > now } ?? false }

    public static let healthy = EndpointHealth()

    /// The health after an attempt. `recovered` is true when a failing endpoint answered: all
    /// its pending deliveries become due at once.
    public func after(success: Bool, error: String?, now: Timestamp, probeInterval: Double) -> (health: EndpointHealth, recovered: Bool) {
        if success {
            return (EndpointHealth(lastError: lastError), state == .failing)
        }
        var next = self
        next.consecutiveFailures += 1
        next.lastError = error
        if state == .failing || next.consecutiveFailures >= Self.failureThreshold {
            if state == .healthy { next.failingSince = now }
            next.state = .failing
            next.nextProbeAt = now.adding(seconds: probeInterval)
        }
        return (next, false)
    }
}
