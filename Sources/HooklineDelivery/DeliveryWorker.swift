import HooklineCore
import HooklineStore
import Logging
import ServiceLifecycle
import Synchronization

/// Leases due deliveries and sends them, up to `concurrency` at a time, until graceful shutdown:
/// then it stops leasing, lets requests in flight finish, and gives back what it still holds.
public final class DeliveryWorker: Service {
    let store: any Store
    let sender: HTTPSender
    let wakeup: Wakeup
    let configuration: DeliveryConfiguration
    let logger: Logger
    let metrics: HooklineMetrics
    /// This worker's name on the leases it takes.
    public let owner: String
    private let inFlight = Atomic<Int>(0)
    private let running = Atomic<Bool>(false)

    public init(
        store: any Store, sender: HTTPSender, wakeup: Wakeup, configuration: DeliveryConfiguration, metrics: HooklineMetrics, logger: Logger
    ) {
        self.metrics = metrics
        self.store = store
        self.sender = sender
        self.wakeup = wakeup
        self.configuration = configuration
        self.logger = logger
        self.owner = Identifier.make("wrk", at: .now)
    }

    /// Whether the loop is up (for readiness checks).
    public var isRunning: Bool { running.load(ordering: .relaxed) }

    /// Until graceful shutdown: lease and send. Then: lease nothing more, give requests in flight
    /// `shutdownGrace` to finish, cut off the rest, and release every lease still held so another
    /// process (or the next start) sends those deliveries at once.
    public func run() async throws {
        let stopping = Atomic<Bool>(false)
        running.store(true, ordering: .relaxed)
        defer { running.store(false, ordering: .relaxed) }
        logger.info("delivery worker started", metadata: ["owner": "\(owner)", "concurrency": "\(configuration.concurrency)"])
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                // Cancellation (not a graceful shutdown) also ends the loop: waits return at once then.
                while !stopping.load(ordering: .relaxed), !Task.isCancelled {
                    let leased = await leaseAndStart(in: &group)
                    if leased == 0 { await sleepUntilWork() }
                }
                let deadline = ContinuousClock.now + configuration.shutdownGrace
                while inFlight.load(ordering: .relaxed) > 0, ContinuousClock.now < deadline, !Task.isCancelled {
                    await wakeup.wait(timeout: .milliseconds(100))
                }
                if inFlight.load(ordering: .relaxed) > 0 {
                    logger.warning("cutting off requests still in flight after the grace period", metadata: ["count": "\(inFlight.load(ordering: .relaxed))"])
                    group.cancelAll()
                }
            }
        } onGracefulShutdown: {
            stopping.store(true, ordering: .relaxed)
            self.wakeup.signal()
        }
        do {
            try await store.releaseLeases(owner: owner, now: .now)
        } catch {
            logger.error("could not release leases at shutdown; they run out by themselves", metadata: ["error": "\(error)"])
        }
        logger.info("delivery worker stopped", metadata: ["owner": "\(owner)"])
    }

    /// Leases as many due deliveries as there are free slots and starts sending them. While
    /// requests are in flight it waits for a quarter of the slots to free up, so one lease (one
    /// transaction) serves many deliveries instead of one.
    private func leaseAndStart(in group: inout DiscardingTaskGroup) async -> Int {
        let busy = inFlight.load(ordering: .relaxed)
        let free = configuration.concurrency - busy
        guard free > 0, busy == 0 || free >= max(1, configuration.concurrency / 4) else { return 0 }
        let now = Timestamp.now
        let jobs: [DeliveryJob]
        do {
            jobs = try await store.leaseDueDeliveries(
                limit: free, now: now, leaseUntil: now.adding(duration: configuration.leaseDuration), owner: owner)
        } catch {
            logger.error("leasing due deliveries failed", metadata: ["error": "\(String(reflecting: error))"])
            try? await Task.sleep(for: .milliseconds(500))
            return 0
        }
        for job in jobs {
            inFlight.add(1, ordering: .relaxed)
            group.addTask {
                await self.deliver(job)
                self.inFlight.subtract(1, ordering: .relaxed)
                self.wakeup.signal()
            }
        }
        return jobs.count
    }

    /// Waits for a signal (an event accepted, a request finished) or for the next due time, when
    /// this worker could lease anything then.
    private func sleepUntilWork() async {
        let busy = inFlight.load(ordering: .relaxed)
        let free = configuration.concurrency - busy
        var timeout = configuration.pollInterval
        if free > 0, busy == 0 || free >= max(1, configuration.concurrency / 4), let due = try? await store.nextDueTime() {
            // At least a millisecond: a webhook due now but not leasable must not spin this loop.
            let wait = max(1, due.millisecondsSince1970 - Timestamp.now.millisecondsSince1970)
            timeout = min(timeout, .milliseconds(wait))
        }
        await wakeup.wait(timeout: timeout)
    }

    func deliver(_ job: DeliveryJob) async {
        let start = Timestamp.now
        let outcome = await sender.send(job, at: start)
        let attempt = outcome.attempt
        let now = Timestamp.now
        let verdict = DeliveryJudge.verdict(
            for: attempt, attemptsSoFar: job.scheduleAttempts + (attempt.succeeded ? 0 : 1), scheduleStart: job.scheduleStartedAt,
            policy: job.webhook.settings.retry, now: now, unit: Double.random(in: 0..<1), retryAfter: outcome.retryAfter)
        let result = AttemptResult(deliveryID: job.delivery.id, attempt: attempt, verdict: verdict, renderedPayload: outcome.renderedPayload, captured: outcome.captured, now: now)
        // Cut off at shutdown: not an answer from the receiver; the released lease sends it again.
        guard !Task.isCancelled else { return }
        metrics.attemptFinished(attempt, verdict: verdict)
        do {
            try await store.recordAttempts([result])
        } catch {
            // The lease runs out and the delivery is sent again: at least once, never lost.
            logger.error(
                "recording an attempt failed", metadata: ["delivery": "\(job.delivery.id)", "error": "\(String(reflecting: error))"])
        }
        logger.debug(
            "attempt", metadata: ["delivery": "\(job.delivery.id)", "number": "\(attempt.number)", "verdict": "\(verdict)"])
    }
}

extension Timestamp {
    public func adding(duration: Duration) -> Timestamp {
        let components = duration.components
        return Timestamp(millisecondsSince1970: millisecondsSince1970 + components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000)
    }
}
