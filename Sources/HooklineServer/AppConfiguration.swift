import HooklineCore
import HooklineDelivery
import Logging

/// How `hookline serve` runs.
public struct AppConfiguration: Sendable {
    public var host: String
    public var port: Int
    public var databasePath: String
    /// From `HOOKLINE_ADMIN_KEY`; when nil a key is generated at first start and printed once.
    public var adminKey: String?
    /// Whether this process sends deliveries (false: an API-only node).
    public var runsWorkers: Bool
    /// Whether this process serves the API (false: a worker, which serves only `/healthz`,
    /// `/readyz` and `/metrics`).
    public var servesAPI = true
    /// Whether the schema is created or upgraded at start (`--no-migrate`: by `hookline migrate`).
    public var migrates = true
    public var delivery: DeliveryConfiguration
    public var connectionTimeouts = ConnectionTimeouts()
    /// What finished deliveries, and calls and leads nothing pending needs, are purged after; swept by every process.
    public var retention = Retention.standard
    public var logLevel: Logger.Level
    /// Where OTLP/HTTP traces go (`--otlp-endpoint`, the collector's base address); nil: no traces.
    public var otlpEndpoint: String?

    public init(
        host: String = "127.0.0.1", port: Int = 8080, databasePath: String = "hookline.sqlite", adminKey: String? = nil,
        runsWorkers: Bool = true, delivery: DeliveryConfiguration = DeliveryConfiguration(), logLevel: Logger.Level = .info
    ) {
        self.host = host
        self.port = port
        self.databasePath = databasePath
        self.adminKey = adminKey
        self.runsWorkers = runsWorkers
        self.delivery = delivery
        self.logLevel = logLevel
    }
}
