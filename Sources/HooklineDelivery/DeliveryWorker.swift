import HooklineCore
import HooklineStore
import Tracing
import Logging
import ServiceLifecycle
import Synchronization

/// Sends deliveries, up to `concurrency` at a time, until graceful shutdown: then it stops taking
/// work, lets requests in flight finish, and gives back what it still holds.
///
/// Work comes two ways. Ingest in this process offers the worker's free slots (`leaseOffer`):
/// deliveries that may go at once are stored already leased to it and handed over when their
/// event commits, so they leave without another transaction. Everything else (retries, replays,
/// deliveries that waited for a slot, their call's order or a failing endpoint, and those of
/// other processes' crashed workers) is leased from the store when due.
public final class DeliveryWorker: Service {
    /// Held deliveries whose time is up, released at each heartbeat: a backlog of them drains a
    /// bounded batch at a time without holding the store.
    static let holdsReleasedPerBeat = 200
    static let replayJobsPerBeat = 10
    /// Milliseconds before a worker asks again for a webhook that was due and gave nothing.
    static let dueButHeldWait: Int64 = 20

    let store: any Store
    let sender: HTTPSender
    let wakeup: Wakeup
    let configuration: DeliveryConfiguration
    let logger: Logger
    let metrics: HooklineMetrics
    /// This worker's name on the leases it takes.
    public let owner: String
    /// Slots taken: requests in flight, and jobs leased or offered but not yet sent.
    private let inFlight = Atomic<Int>(0)
    private let running = Atomic<Bool>(false)
    /// False while heartbeats fail (the database is gone): a worker that cannot say it is alive
    /// takes no leases, since others may take them over.
    private let heartbeating = Atomic<Bool>(false)
    private let stopping = Atomic<Bool>(false)
    /// Set while the lease loop waits for slots: only then does a finished request wake it.
    private let waitingForSlots = Atomic<Bool>(false)
    private let handedOver: AsyncStream<DeliveryJob>
    private let handOver: AsyncStream<DeliveryJob>.Continuation
    let records = Mutex(RecordQueue())
    /// Attempts answered and not yet recorded, offered to the store with every lease.
    let answered = AnsweredAttempts()
    /// Deliveries handed to this worker and not yet recorded.
    let held = Mutex<Set<String>>([])
    /// Set when a transaction that could lease to this worker failed without saying whether it
    /// committed (the connection was lost): leases it may have taken, running out until then,
    /// are released at the next heartbeat unless this worker holds them.
    private let unknownLeasesUntil = Mutex<Timestamp?>(nil)

    /// Attempt results waiting for their transaction: whoever finds no flush under way writes
    /// them all, so one transaction (and one due-time refresh per webhook) serves many attempts.
    struct RecordQueue {
        var pending: [AttemptResult] = []
        var flushing = false
    }

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
        (handedOver, handOver) = AsyncStream.makeStream(of: DeliveryJob.self)
    }

    /// Whether the loop is up (for readiness checks).
    public var isRunning: Bool { running.load(ordering: .relaxed) }

    /// This worker's free slots for an ingest at `now`, while it runs.
    func leaseOffer(now: Timestamp) -> WorkerLeaseOffer? {
        guard running.load(ordering: .relaxed), heartbeating.load(ordering: .relaxed), !stopping.load(ordering: .relaxed) else { return nil }
        return WorkerLeaseOffer(owner: owner, leaseUntil: now.adding(duration: configuration.leaseDuration), answered: answered) { [self] in reserveSlot() }
    }

    /// Sends the jobs leased to `offer` (by an ingest, a record or this worker's lease), and gives
    /// back the slots it claimed for nothing.
    func accept(_ jobs: [DeliveryJob], from offer: WorkerLeaseOffer) {
        var unused = offer.claimed - jobs.count
        held.withLock { $0.formUnion(jobs.map(\.delivery.id)) }
        for job in jobs {
            // After shutdown its lease is given back with the others', or runs out.
            if case .terminated = handOver.yield(job) { unused += 1 }
        }
        if unused > 0 { freeSlots(unused) }
    }

    /// Gives back the slots of an offer whose transaction failed. When the store cannot say
    /// whether it committed, what it may have leased is released at the next heartbeat.
    func refuse(_ offer: WorkerLeaseOffer, after error: any Error) {
        accept([], from: offer)
        guard case .unavailable = error as? StoreError else { return }
        unknownLeasesUntil.withLock { $0 = max($0 ?? offer.leaseUntil, offer.leaseUntil) }
    }

    /// Until graceful shutdown: send what is handed over, lease what is due. Then: take nothing
    /// more, give requests in flight `shutdownGrace` to finish, cut off the rest, and release every
    /// lease still held so another process (or the next start) sends those deliveries at once.
    public func run() async throws {
        await takeOver()
        running.store(true, ordering: .relaxed)
        defer { running.store(false, ordering: .relaxed) }
        logger.info("delivery worker started", metadata: ["owner": "\(owner)", "concurrency": "\(configuration.concurrency)"])
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                group.addTask { await self.sendHandedOver() }
                group.addTask { await self.keepHeartbeating() }
                group.addTask { await self.store.watchDueDeliveries { [wakeup = self.wakeup] in wakeup.signal() } }
                // Cancellation (not a graceful shutdown) also ends the loop: waits return at once then.
                while !stopping.load(ordering: .relaxed), !Task.isCancelled {
                    await leaseOrWait()
                }
                let deadline = ContinuousClock.now + configuration.shutdownGrace
                while inFlight.load(ordering: .relaxed) > 0, ContinuousClock.now < deadline, !Task.isCancelled {
                    await wakeup.wait(timeout: .milliseconds(100))
                }
                if inFlight.load(ordering: .relaxed) > 0 {
                    logger.warning("cutting off requests still in flight after the grace period", metadata: ["count": "\(inFlight.load(ordering: .relaxed))"])
                }
                // Also ends the watch for due deliveries; with nothing in flight, nothing else is cut.
                group.cancelAll()
            }
        } onGracefulShutdown: {
            self.stopping.store(true, ordering: .relaxed)
            self.handOver.finish()
            self.wakeup.signal()
        }
        do {
            try await store.releaseLeases(owner: owner, now: .now)
        } catch {
            logger.error("could not release leases at shutdown; they run out by themselves", metadata: ["error": "\(error)"])
        }
        logger.info("delivery worker stopped", metadata: ["owner": "\(owner)"])
    }

    /// The first heartbeat, before any lease; then, where this worker is the only one that can be
    /// delivering (a predecessor that crashed left its leases behind), those leases go due at once.
    private func takeOver() async {
        await beat()
        do {
            if try await store.claimSoleDelivery(owner: owner) {
                let released = try await store.releaseLeases(notHeldBy: owner, now: .now)
                if released > 0 { logger.notice("released leases of a previous worker", metadata: ["count": "\(released)"]) }
            }
        } catch {
            logger.error("could not release a previous worker's leases; they wait for the silence limit", metadata: ["error": "\(String(reflecting: error))"])
        }
    }

    private func keepHeartbeating() async {
        while !stopping.load(ordering: .relaxed), !Task.isCancelled {
            await wakeupOrStop(after: configuration.liveness.heartbeatInterval)
            guard !stopping.load(ordering: .relaxed), !Task.isCancelled else { return }
            await beat()
            guard heartbeating.load(ordering: .relaxed) else { continue }
            await releaseUnknownLeases()
            do {
                try await upkeep(now: .now)
            } catch {
                logger.error("a heartbeat's upkeep of the queue failed", metadata: ["error": "\(String(reflecting: error))"])
            }
        }
    }

    /// What every heartbeat does for the whole queue, whichever worker beats.
    private func upkeep(now: Timestamp) async throws {
        let released = try await store.releaseLeasesOfSilentWorkers(silentBefore: configuration.liveness.silentBefore(now), now: now)
        if released > 0 {
            logger.notice("released leases of a silent worker", metadata: ["count": "\(released)"])
            wakeup.signal()
        }
        try await store.sweepLateDueTimes(now: now)
        try await store.foldPendingCount()
        if try await store.releaseExpiredHolds(now: now, limit: Self.holdsReleasedPerBeat) > 0 { wakeup.signal() }
        // A bulk replay goes a batch per job per beat: its deliveries join the queue at a pace the
        // lease then holds to each webhook's in-flight limit, health and rate limit.
        if try await store.advanceReplayJobs(now: now, jobs: Self.replayJobsPerBeat, batch: ReplayJob.batch) > 0 { wakeup.signal() }
        for webhook in try await store.disableLongFailingWebhooks(now: now, limit: Self.holdsReleasedPerBeat) {
            logger.warning("disabled a webhook that kept failing", metadata: ["webhook": "\(webhook.id)", "reason": "\(webhook.disabledReason ?? "")"])
        }
        // After the disabling above, so a webhook disabled in this beat is told so in it.
        let alerts = try await store.sweepAlerts(links: configuration.alertLinks, now: now, limit: Self.holdsReleasedPerBeat)
        for alert in alerts {
            logger.notice("alert raised for the account's channels", metadata: ["webhook": "\(alert.webhookID)", "kind": "\(alert.kind.rawValue)"])
        }
        if !alerts.isEmpty { wakeup.signal() }
    }

    private func releaseUnknownLeases() async {
        guard let until = unknownLeasesUntil.withLock({ state in defer { state = nil }; return state }) else { return }
        do {
            let kept = held.withLock { $0 }
            let released = try await store.releaseUnknownLeases(
                owner: owner, keeping: kept, leasedUntilBefore: Timestamp(millisecondsSince1970: until.millisecondsSince1970 + 1), now: .now)
            if released > 0 {
                logger.notice("released leases a lost connection left this worker holding", metadata: ["count": "\(released)"])
                wakeup.signal()
            }
        } catch {
            unknownLeasesUntil.withLock { $0 = max($0 ?? until, until) }
            logger.error("releasing leases of lost transactions failed; trying again", metadata: ["error": "\(String(reflecting: error))"])
        }
    }

    private func beat() async {
        do {
            try await store.heartbeat(owner: owner, now: .now)
            if !heartbeating.exchange(true, ordering: .relaxed) { wakeup.signal() }
        } catch {
            if heartbeating.exchange(false, ordering: .relaxed) {
                logger.error("heartbeat failed; taking no leases until one succeeds", metadata: ["error": "\(String(reflecting: error))"])
            }
        }
    }

    /// Sleeps for `duration`, or less when shutdown begins.
    private func wakeupOrStop(after duration: Duration) async {
        let deadline = ContinuousClock.now + duration
        while ContinuousClock.now < deadline, !stopping.load(ordering: .relaxed), !Task.isCancelled {
            try? await Task.sleep(for: min(.milliseconds(200), deadline - ContinuousClock.now))
        }
    }

    private func sendHandedOver() async {
        await withDiscardingTaskGroup { group in
            for await job in handedOver {
                group.addTask { await self.send(job) }
            }
        }
    }

    /// Leases due deliveries into the free slots and starts them, or waits for a signal (an event
    /// accepted, attempts recorded, a slot freed while short) or the next due time. While
    /// requests are in flight it waits for a quarter of the slots to free up, so one lease (one
    /// transaction) serves many deliveries instead of one.
    private func leaseOrWait() async {
        guard heartbeating.load(ordering: .relaxed) else {
            await wakeup.wait(timeout: configuration.pollInterval)
            return
        }
        let busy = inFlight.load(ordering: .relaxed)
        let free = configuration.concurrency - busy
        guard free > 0, busy == 0 || free >= max(1, configuration.concurrency / 4) else {
            waitingForSlots.store(true, ordering: .relaxed)
            // The flag is set before looking again: a slot freed in between signals.
            if configuration.concurrency - inFlight.load(ordering: .relaxed) < max(1, configuration.concurrency / 4) {
                await wakeup.wait(timeout: configuration.pollInterval)
            }
            waitingForSlots.store(false, ordering: .relaxed)
            return
        }
        let due: Timestamp?
        do {
            due = try await store.nextDueTime()
        } catch {
            logger.error("reading the next due time failed", metadata: ["error": "\(String(reflecting: error))"])
            await wakeup.wait(timeout: .milliseconds(500))
            return
        }
        let now = Timestamp.now
        if let due, due <= now, await lease(now: now) > 0 { return }
        // A webhook due now that gave nothing is held by another transaction (another worker's
        // lease or record, which leases on from it): what frees it signals, so this loop does not
        // ask again at once. One due later is asked for at its time.
        let wait = due.map { $0 <= now ? Self.dueButHeldWait : max(1, $0.millisecondsSince1970 - Timestamp.now.millisecondsSince1970) }
        await wakeup.wait(timeout: wait.map { min(configuration.pollInterval, .milliseconds($0)) } ?? configuration.pollInterval)
    }

    /// Leases into the slots free now. They are claimed one by one inside the lease's transaction,
    /// for deliveries it leases, as ingest and attempt records claim theirs: the process-wide limit
    /// holds, and no slot is held back from them while the lease looks for work.
    private func lease(now: Timestamp) async -> Int {
        guard let offer = leaseOffer(now: now) else { return 0 }
        do {
            let jobs = try await store.leaseDueDeliveries(to: offer, now: now)
            accept(jobs, from: offer)
            return jobs.count
        } catch {
            refuse(offer, after: error)
            logger.error("leasing due deliveries failed", metadata: ["error": "\(String(reflecting: error))"])
            try? await Task.sleep(for: .milliseconds(500))
            return 0
        }
    }

    /// Takes a free slot, if there is one.
    private func reserveSlot() -> Bool {
        var current = inFlight.load(ordering: .relaxed)
        while current < configuration.concurrency {
            let (exchanged, original) = inFlight.compareExchange(expected: current, desired: current + 1, ordering: .relaxed)
            if exchanged { return true }
            current = original
        }
        return false
    }

    private func freeSlots(_ count: Int) {
        inFlight.subtract(count, ordering: .relaxed)
        if waitingForSlots.load(ordering: .relaxed) || stopping.load(ordering: .relaxed) { wakeup.signal() }
    }

    /// Sends a job that holds a slot, and frees the slot.
    private func send(_ job: DeliveryJob) async {
        await deliver(job)
        freeSlots(1)
    }

    func deliver(_ job: DeliveryJob) async {
        let start = Timestamp.now
        let outcome = await configuration.traced ? DeliveryTracing.traced(job, sender: sender, at: start) : sender.send(job, at: start)
        let attempt = outcome.attempt
        let now = Timestamp.now
        let verdict = DeliveryJudge.verdict(
            for: attempt, attemptsSoFar: job.scheduleAttempts + (attempt.succeeded ? 0 : 1), scheduleStart: job.scheduleStartedAt,
            policy: job.webhook.settings.retry, now: now, unit: Double.random(in: 0..<1), retryAfter: outcome.retryAfter)
        let pause = DeliveryJudge.webhookPause(for: attempt, policy: job.webhook.settings.retry, now: now, retryAfter: outcome.retryAfter)
        let result = AttemptResult(
            deliveryID: job.delivery.id, attempt: attempt, verdict: verdict, renderedPayload: outcome.renderedPayload, captured: outcome.captured,
            leaseOwner: owner, pausesWebhookUntil: pause, now: now, keys: DeliveryKeys(job.delivery))
        // Cut off at shutdown: not an answer from the receiver; the released lease sends it again.
        guard !Task.isCancelled else { return }
        // No longer a request in flight to its webhook, though leased until recorded.
        answered.add(deliveryID: job.delivery.id, webhookID: job.webhook.id)
        metrics.attemptFinished(attempt, verdict: verdict)
        logger.debug(
            "attempt", metadata: ["delivery": "\(job.delivery.id)", "number": "\(attempt.number)", "verdict": "\(verdict)"])
        await record(result)
    }
}
