import CoreMetrics
import HooklineCore

/// What Hookline counts, through swift-metrics. Made from an explicit factory so that each
/// application (and each test) has its own registry.
public struct HooklineMetrics: Sendable {
    let factory: any MetricsFactory
    private let ingested: [EventKind: Counter]
    private let outcomes: [String: Counter]
    private let attemptDuration: Timer
    public let pending: Gauge
    public let leased: Gauge
    public let failingEndpoints: Gauge
    /// 1 while writes fail because the database cannot grow.
    public let storageFull: Gauge
    /// Statements sent to the database since the process started (PostgreSQL only).
    public let statementsSent: Gauge

    public init(factory: any MetricsFactory) {
        self.factory = factory
        ingested = Dictionary(uniqueKeysWithValues: EventKind.allCases.map {
            ($0, Counter(label: "hookline_events_ingested_total", dimensions: [("kind", $0.rawValue)], factory: factory))
        })
        outcomes = Dictionary(uniqueKeysWithValues: ["delivered", "retry", "dead", "disabled"].map {
            ($0, Counter(label: "hookline_deliveries_total", dimensions: [("outcome", $0)], factory: factory))
        })
        attemptDuration = Timer(label: "hookline_attempt_duration_seconds", factory: factory)
        pending = Gauge(label: "hookline_deliveries_pending", factory: factory)
        leased = Gauge(label: "hookline_deliveries_leased", factory: factory)
        failingEndpoints = Gauge(label: "hookline_endpoints_failing", factory: factory)
        storageFull = Gauge(label: "hookline_storage_full", factory: factory)
        statementsSent = Gauge(label: "hookline_store_statements_sent", factory: factory)
    }

    public func eventIngested(_ kind: EventKind) {
        ingested[kind]?.increment()
    }

    func attemptFinished(_ attempt: Attempt, verdict: DeliveryJudge.Verdict) {
        attemptDuration.recordMilliseconds(attempt.durationMilliseconds)
        let outcome =
            switch verdict {
            case .delivered: "delivered"
            case .retry: "retry"
            case .dead: "dead"
            case .disableWebhook: "disabled"
            }
        outcomes[outcome]?.increment()
    }
}
