/// How the delivery workers of one process behave.
public struct DeliveryConfiguration: Sendable {
    /// Requests in flight at once, over all webhooks.
    public var concurrency: Int
    /// How long a leased delivery stays with this worker before another may take it (longer than
    /// any webhook's total timeout).
    public var leaseDuration: Duration
    /// Longest sleep between checks for due work when nothing signals.
    public var pollInterval: Duration
    public var userAgent: String
    /// Off by default: loopback, private, link-local, CGNAT, multicast and unspecified
    /// destinations are refused (`HOOKLINE_ALLOW_PRIVATE_DESTINATIONS=1` turns this on).
    public var allowPrivateDestinations: Bool
    /// How long in-flight requests may finish at shutdown before they are cut off.
    public var shutdownGrace: Duration

    public init(
        concurrency: Int = 256, leaseDuration: Duration = .seconds(180), pollInterval: Duration = .seconds(1), userAgent: String = "Hookline/0.1",
        allowPrivateDestinations: Bool = false, shutdownGrace: Duration = .seconds(20)
    ) {
        self.concurrency = concurrency
        self.leaseDuration = leaseDuration
        self.pollInterval = pollInterval
        self.userAgent = userAgent
        self.allowPrivateDestinations = allowPrivateDestinations
        self.shutdownGrace = shutdownGrace
    }
}
