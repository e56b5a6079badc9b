import HooklineCore
import HooklineStore

/// Liveness, readiness and metrics, in the API document.
extension OpenAPIDocument {
    /// Its routes, in the order the document lists them.
    static let probeOperations: [Operation] = [
        Operation(method: "GET", path: "/healthz", summary: "Liveness: the process is up", security: .none, responses: [(200, "Up", "Status")]),
        Operation(method: "GET", path: "/readyz", summary: "Readiness: the store answers and the delivery workers run", security: .none,
                  responses: [(200, "Ready", "Readiness"), (503, "Not ready, with the problems", "Readiness")]),
        Operation(method: "GET", path: "/metrics", summary: "Prometheus metrics: events by kind, deliveries by outcome, attempt durations, pending and leased rows, failing endpoints, statements sent to PostgreSQL",
                  security: .none, responses: [(200, "Prometheus text format", nil)]),
    ]
}
