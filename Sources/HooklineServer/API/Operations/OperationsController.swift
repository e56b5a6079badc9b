import Hummingbird
import HooklineCore
import HooklineDelivery
import HooklineStore
import Prometheus

/// Liveness, readiness and Prometheus metrics, for the operator's tooling (no key needed).
struct OperationsController {
    let store: any Store
    let worker: DeliveryWorker?
    let metrics: HooklineMetrics
    let registry: PrometheusCollectorRegistry

    func addRoutes(to group: RouterGroup<HooklineRequestContext>) {
        group.get("healthz", use: health)
        group.get("readyz", use: readiness)
        group.get("metrics", use: prometheus)
    }

    /// The process is up.
    @Sendable func health(request: Request, context: HooklineRequestContext) async throws -> JSONResponse {
        JSONResponse(["status": "ok"])
    }

    /// The store answers and, where this process delivers, the workers run. Anyone may ask, so
    /// the answer names no host, port, database or path: the log has the details.
    @Sendable func readiness(request: Request, context: HooklineRequestContext) async throws -> JSONResponse {
        var problems: [JSONValue] = []
        do {
            try await store.ping()
        } catch {
            context.logger.warning("readiness: the store does not answer", metadata: ["error": "\(String(reflecting: error))"])
            problems.append("store unreachable")
        }
        let storage = await store.storageProblem()
        metrics.storageFull.record(storage == nil ? 0 : 1)
        if let storage {
            context.logger.warning("readiness: the store cannot grow", metadata: ["problem": "\(storage)"])
            problems.append("storage full: writes are refused until space frees")
        }
        if let worker, !worker.isRunning { problems.append("delivery workers are not running") }
        return JSONResponse(
            status: problems.isEmpty ? .ok : .serviceUnavailable,
            ["status": problems.isEmpty ? "ready" : "not ready", "problems": .array(problems), "workers": .bool(worker != nil)])
    }

    @Sendable func prometheus(request: Request, context: HooklineRequestContext) async throws -> Response {
        let statistics = try await store.statistics(now: .now)
        metrics.pending.record(statistics.pending)
        metrics.leased.record(statistics.leased)
        metrics.failingEndpoints.record(statistics.failingEndpoints)
        if let sent = statistics.statementsSent { metrics.statementsSent.record(sent) }
        metrics.storageFull.record(await store.storageProblem() == nil ? 0 : 1)
        return Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
    }
}
