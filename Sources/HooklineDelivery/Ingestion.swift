import HooklineCore
import HooklineStore
import Tracing

/// Where accepted events enter: each is stored with its deliveries, and those this process may
/// send at once go to its worker already leased, without waiting for the worker to find them.
public struct Ingestion: Sendable {
    let store: any Store
    /// Nil in an API-only process: another process leases the deliveries.
    let worker: DeliveryWorker?
    let wakeup: Wakeup
    /// Spans and a stored `traceparent` only when a tracer is bootstrapped: ingest is a hot path.
    let traced: Bool

    public init(store: any Store, worker: DeliveryWorker?, wakeup: Wakeup, traced: Bool = false) {
        self.store = store
        self.worker = worker
        self.wakeup = wakeup
        self.traced = traced
    }

    public func accept(_ request: IngestRequest) async throws -> IngestReceipt {
        guard traced else { return try await store(request) }
        return try await withSpan("hookline.ingest") { span in
            span.attributes["hookline.event_kind"] = request.command.kind.rawValue
            var request = request
            request.traceParent = DeliveryTracing.currentTraceParent()
            let receipt = try await store(request)
            span.attributes["hookline.deliveries"] = receipt.deliveryIDs.count
            return receipt
        }
    }

    private func store(_ request: IngestRequest) async throws -> IngestReceipt {
        var request = request
        let offer = worker?.leaseOffer(now: request.now)
        request.leaseOffer = offer
        let result: IngestResult
        do {
            result = try await traced ? withSpan("hookline.store.write") { _ in try await store.ingest(request) } : store.ingest(request)
        } catch {
            if let offer { worker?.refuse(offer, after: error) }
            throw error
        }
        if let offer { worker?.accept(result.leased, from: offer) }
        // The rest wait in the store for a slot, their call's order, or a healthy endpoint.
        if result.receipt.deliveryIDs.count > result.leased.count || result.releasedHolds > 0 { wakeup.signal() }
        return result.receipt
    }
}
