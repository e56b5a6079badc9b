/// How the delivery workers of one process behave.
public struct DeliveryConfiguration: Sendable {
    /// Requests in flight at once, over all webhooks.
    public var concurrency: Int
    /// How long a leased delivery stays with this worker before another may take it.
    public var leaseDuration: Duration
    public var connectTimeout: Duration
    /// The whole request, from connecting to the last byte of the answer.
    public var totalTimeout: Duration
    /// Longest sleep between checks for due work when nothing signals.
    public var pollInterval: Duration
    public var userAgent: String

    public init(
        concurrency: Int = 64, leaseDuration: Duration = .seconds(60), connectTimeout: Duration = .seconds(5),
        totalTimeout: Duration = .seconds(15), pollInterval: Duration = .seconds(1), userAgent: String = "Hookline/0.1"
    ) {
        self.concurrency = concurrency
        self.leaseDuration = leaseDuration
        self.connectTimeout = connectTimeout
        self.totalTimeout = totalTimeout
        self.pollInterval = pollInterval
        self.userAgent = userAgent
    }
}
