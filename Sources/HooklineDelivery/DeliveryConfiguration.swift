import HooklineCore

/// How the delivery workers of one process behave.
public struct DeliveryConfiguration: Sendable {
    /// Requests in flight at once, over all webhooks (each webhook has its own limit too). A slot
    /// stays taken while its lease and its record commit, tens of milliseconds when one event fans
    /// out to a hundred webhooks: 256 slots held fan-out to about 5,500 deliveries/s here, 1,024
    /// to about 7,300.
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
    /// How often this worker heartbeats, and how long a silent worker keeps its leases.
    public var liveness = WorkerLiveness.standard
    /// Where alerts to notification channels link to: the address people reach the UI at.
    public var alertLinks = AlertLinks(base: "http://127.0.0.1:8080")
    /// Whether a tracer is bootstrapped: attempts open spans only then (the delivery loop is hot).
    public var traced = false

    public init(
        concurrency: Int = 1024, leaseDuration: Duration = .seconds(180), pollInterval: Duration = .seconds(1), userAgent: String = "Hookline/0.1",
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
