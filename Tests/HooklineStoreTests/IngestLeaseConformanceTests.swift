import Testing
import HooklineCore
import HooklineStore

/// Deliveries leased by the ingest that creates them, or by the record that frees their slot, as
/// every store must do it: only what may go at once, within the offer's slots and each webhook's
/// limit, and sent again when the lease runs out.
@Suite struct IngestLeaseConformanceTests {
    typealias F = Fixtures

    /// An offer of `slots` slots until `F.t0 + 60 s`.
    func offer(slots: Int, owner: String = "w", answered: TestAnswered = TestAnswered()) -> TestOffer {
        TestOffer(slots: slots, owner: owner, leaseUntil: F.t0.adding(seconds: 60), answered: answered)
    }

    func begin(_ store: any Store, _ account: Account, _ call: String, offer: TestOffer?, at time: Timestamp = F.t0) async throws -> IngestResult {
        try await store.ingest(
            IngestRequest(accountID: account.id, command: .beginCall(callID: call, values: ["callid": .string(call)]), idempotencyKey: nil, now: time, leaseOffer: offer))
    }

    @Test(arguments: StoreEngine.allCases)
    func whatMayGoAtOnceComesBackLeasedAndIsHiddenFromOtherWorkers(engine: StoreEngine) async throws {
        let store = try await engine.makeStore()
        let account = try await F.account(store)
        let webhook = try await F.webhook(store, account: account)
        let offer = offer(slots: 4)
        let result = try await begin(store, account, "c1", offer: offer)
        let job = try #require(result.leased.first)
        #expect(result.leased.count == 1 && offer.claimed == 1)
        #expect(job.delivery.id == result.receipt.deliveryIDs.first)
        #expect(job.webhook == webhook)
        #expect(job.values["callid"] == "c1")
        #expect(job.delivery.nextAttemptAt == F.t0.adding(seconds: 60))
        #expect(try await store.leaseDueDeliveries(limit: 10, now: F.t0, leaseUntil: F.t0.adding(seconds: 60), owner: "other").isEmpty)
        #expect(try await store.nextDueTime() == F.t0.adding(seconds: 60))

        // The worker died before recording anything: the lease runs out and another worker sends it.
        let retaken = try await store.leaseDueDeliveries(limit: 10, now: F.t0.adding(seconds: 60), leaseUntil: F.t0.adding(seconds: 120), owner: "other")
        #expect(retaken.map(\.delivery.id) == [job.delivery.id])

        // Released at shutdown: due at once.
        let second = try await begin(store, account, "c2", offer: self.offer(slots: 1, owner: "w2"), at: F.t0.adding(seconds: 61))
        try await store.releaseLeases(owner: "w2", now: F.t0.adding(seconds: 62))
        let released = try await store.leaseDueDeliveries(limit: 10, now: F.t0.adding(seconds: 62), leaseUntil: F.t0.adding(seconds: 120), owner: "other")
        #expect(released.map(\.delivery.id) == second.leased.map(\.delivery.id))
    }

    @Test(arguments: StoreEngine.allCases)
    func noMoreThanTheOffersSlots(engine: StoreEngine) async throws {
        let store = try await engine.makeStore()
        let account = try await F.account(store)
        for _ in 0..<3 { _ = try await F.webhook(store, account: account, triggers: [.callBegin]) }
        let offer = offer(slots: 2)
        let result = try await begin(store, account, "c1", offer: offer)
        #expect(result.receipt.deliveryIDs.count == 3 && result.leased.count == 2 && offer.claimed == 2)
        // The third waits in the store for the worker's lease.
        let rest = try await store.leaseDueDeliveries(limit: 10, now: F.t0, leaseUntil: F.t0.adding(seconds: 60), owner: "w")
        #expect(rest.count == 1 && !result.leased.map(\.delivery.id).contains(rest[0].delivery.id))
    }

    @Test(arguments: StoreEngine.allCases)
    func noMoreThanAWebhooksLimitInFlight(engine: StoreEngine) async throws {
        let store = try await engine.makeStore()
        let account = try await F.account(store)
        _ = try await F.webhook(store, account: account, triggers: [.callBegin], maxInFlight: 2)
        let offer = offer(slots: 10)
        var leased = 0
        for index in 0..<4 { leased += try await begin(store, account, "c\(index)", offer: offer).leased.count }
        #expect(leased == 2 && offer.claimed == 2)
        #expect(try await store.leaseDueDeliveries(limit: 10, now: F.t0, leaseUntil: F.t0.adding(seconds: 60), owner: "w").isEmpty)
    }

    /// An event that goes to several webhooks: each is held to its own limit, counted apart
    /// from the others' leases, however the engine reads them.
    @Test(arguments: StoreEngine.allCases)
    func aFanOutHoldsEachWebhookToItsOwnLimit(engine: StoreEngine) async throws {
        let store = try await engine.makeStore()
        let account = try await F.account(store)
        var limits: [String: Int] = [:]
        for limit in [1, 2, 3] { limits[try await F.webhook(store, account: account, triggers: [.callBegin], maxInFlight: limit).id] = limit }
        let offer = offer(slots: 100)
        var leased: [String: Int] = [:]
        for index in 0..<4 {
            for job in try await begin(store, account, "c\(index)", offer: offer).leased { leased[job.webhook.id, default: 0] += 1 }
        }
        #expect(leased == limits && offer.claimed == 6)
        #expect(try await store.leaseDueDeliveries(limit: 10, now: F.t0, leaseUntil: F.t0.adding(seconds: 60), owner: "w").isEmpty)
    }

    /// Ingests at once, with records and leases of the same webhook between them: whichever
    /// transaction holds the webhook, the others' deliveries go unleased and a lease finds them;
    /// never more in flight than the webhook's limit, and each delivery leased once.
    @Test(arguments: StoreEngine.allCases)
    func concurrentIngestsLeaseWithinTheLimitAndLeaveTheRestDue(engine: StoreEngine) async throws {
        let store = try await engine.makeStore()
        let account = try await F.account(store)
        _ = try await F.webhook(store, account: account, triggers: [.callBegin], maxInFlight: 3)
        let offer = offer(slots: 100)
        let (leasedAtIngest, leasedBeside) = try await withThrowingTaskGroup(of: (ingest: [DeliveryJob], lease: [DeliveryJob]).self) { group in
            for index in 0..<24 {
                group.addTask { (try await self.begin(store, account, "c\(index)", offer: offer).leased, []) }
            }
            group.addTask { ([], try await store.leaseDueDeliveries(limit: 100, now: F.t0, leaseUntil: F.t0.adding(seconds: 60), owner: "other")) }
            return try await group.reduce(into: ([DeliveryJob](), [DeliveryJob]())) { $0.0 += $1.ingest; $0.1 += $1.lease }
        }
        #expect(offer.claimed == leasedAtIngest.count && leasedAtIngest.count + leasedBeside.count <= 3)
        var inFlight = leasedAtIngest + leasedBeside
        var seen = Set(inFlight.map(\.delivery.id))
        #expect(seen.count == inFlight.count)
        // Each round records what is in flight and leases what that frees.
        var round = 0
        while seen.count < 24, round < 30 {
            round += 1
            let now = F.t0.adding(seconds: Double(round))
            let results = inFlight.map {
                AttemptResult(
                    deliveryID: $0.delivery.id, attempt: F.attempt(1, success: true, at: now), verdict: .delivered, renderedPayload: nil, now: now,
                    keys: DeliveryKeys($0.delivery))
            }
            if !results.isEmpty { try await store.recordAttempts(results) }
            inFlight = try await store.leaseDueDeliveries(limit: 100, now: now, leaseUntil: now.adding(seconds: 60), owner: "w")
            #expect(inFlight.count <= 3)
            #expect(seen.isDisjoint(with: inFlight.map(\.delivery.id)))
            seen.formUnion(inFlight.map(\.delivery.id))
        }
        #expect(seen.count == 24)
    }

    /// A webhook's limit is on requests in flight: one whose answer is in no longer counts, though
    /// its row stays leased until its attempt is recorded.
    @Test(arguments: StoreEngine.allCases)
    func anAnsweredRequestFreesItsWebhooksSlotBeforeItsRecord(engine: StoreEngine) async throws {
        let store = try await engine.makeStore()
        let account = try await F.account(store)
        let webhook = try await F.webhook(store, account: account, triggers: [.callBegin], maxInFlight: 2)
        let offer = offer(slots: 10)
        let first = try #require(try await begin(store, account, "c0", offer: offer).leased.first)
        #expect(try await begin(store, account, "c1", offer: offer).leased.count == 1)
        #expect(try await begin(store, account, "c2", offer: offer).leased.isEmpty)

        offer.answered.add(deliveryID: first.delivery.id, webhookID: webhook.id)
        #expect(try await begin(store, account, "c3", offer: offer).leased.count == 1)
        #expect(try await begin(store, account, "c4", offer: offer).leased.isEmpty)
        // Still leased: no other worker takes it.
        #expect(try await store.statistics(now: F.t0).leased == 3)

        // Its record releases the row and the count with it: c1 and c3 are still out.
        let freed = try await store.recordAttempts(
            [AttemptResult(deliveryID: first.delivery.id, attempt: F.attempt(1, success: true), verdict: .delivered, renderedPayload: nil, now: F.t0)],
            leasing: self.offer(slots: 10, answered: offer.answered))
        #expect(freed.isEmpty)
        #expect(try await begin(store, account, "c5", offer: offer).leased.isEmpty)

        // The worker's lease counts the same way.
        let second = try #require(try await store.deliveries(accountID: account.id, filter: DeliveryFilter(status: .pending), page: PageRequest(limit: 100))
            .items.first { $0.subjectID == "c1" })
        offer.answered.add(deliveryID: second.id, webhookID: webhook.id)
        let leased = try await store.leaseDueDeliveries(limit: 10, now: F.t0, leaseUntil: F.t0.adding(seconds: 60), owner: "w", answered: offer.answered)
        #expect(leased.map(\.delivery.subjectID) == ["c2"])
    }

    /// The worker's lease claims a slot per delivery it leases, not its webhooks' free slots: the
    /// rest stay free for ingest and records while the lease's transaction goes on.
    @Test(arguments: StoreEngine.allCases)
    func theWorkersLeaseClaimsOnlyTheSlotsItFills(engine: StoreEngine) async throws {
        let store = try await engine.makeStore()
        let account = try await F.account(store)
        _ = try await F.webhook(store, account: account, triggers: [.callBegin], maxInFlight: 8)
        _ = try await F.webhook(store, account: account, triggers: [.callBegin], maxInFlight: 8)
        for index in 0..<2 { _ = try await begin(store, account, "c\(index)", offer: nil) }
        let offer = offer(slots: 100)
        let jobs = try await store.leaseDueDeliveries(to: offer, now: F.t0)
        #expect(jobs.count == 4)
        #expect(offer.claimed == 4)

        // An offer that runs out leases no more than it granted.
        for index in 2..<5 { _ = try await begin(store, account, "c\(index)", offer: nil) }
        let short = self.offer(slots: 3)
        #expect(try await store.leaseDueDeliveries(to: short, now: F.t0).count == 3)
        #expect(short.claimed == 3)
    }

    @Test(arguments: StoreEngine.allCases)
    func aWorkerWithoutRoomLeavesEverythingDueForItsLease(engine: StoreEngine) async throws {
        let store = try await engine.makeStore()
        let account = try await F.account(store)
        _ = try await F.webhook(store, account: account, triggers: [.callBegin])
        let full = offer(slots: 0)
        let first = try await begin(store, account, "c1", offer: full)
        #expect(first.leased.isEmpty && full.claimed == 0)

        // Its record, with no room either, still leaves the next delivery due.
        _ = try await begin(store, account, "c2", offer: full)
        let jobs = try await store.leaseDueDeliveries(limit: 1, now: F.t0, leaseUntil: F.t0.adding(seconds: 60), owner: "w")
        let recorded = try await store.recordAttempts(
            [AttemptResult(deliveryID: try #require(jobs.first).delivery.id, attempt: F.attempt(1, success: true), verdict: .delivered, renderedPayload: nil, now: F.t0)],
            leasing: full)
        #expect(recorded.isEmpty && full.claimed == 0)
        #expect(try await store.nextDueTime() == F.t0)
        let rest = try await store.leaseDueDeliveries(limit: 10, now: F.t0, leaseUntil: F.t0.adding(seconds: 60), owner: "w")
        #expect(rest.count == 1 && rest[0].delivery.id != jobs[0].delivery.id)
    }

    @Test(arguments: StoreEngine.allCases)
    func nothingThatMustWaitIsLeased(engine: StoreEngine) async throws {
        let store = try await engine.makeStore()
        let account = try await F.account(store)
        let webhook = try await F.webhook(store, account: account, retry: RetryPolicy(schedule: [0, 3600], maximumAge: 86_400))

        // A call's end waits behind its begin.
        _ = try await F.begin(store, account: account, call: "c0")
        let end = try await store.ingest(
            IngestRequest(accountID: account.id, command: .endCall(callID: "c0", values: ["dialstatus": "ANSWER"]), idempotencyKey: nil, now: F.t0, leaseOffer: offer(slots: 5)))
        #expect(end.receipt.deliveryIDs.count == 1 && end.leased.isEmpty)

        // A failing endpoint gets probes from the worker's lease, nothing more.
        for index in 1...5 { _ = try await F.begin(store, account: account, call: "c\(index)") }
        let jobs = try await store.leaseDueDeliveries(limit: 5, now: F.t0, leaseUntil: F.t0.adding(seconds: 60), owner: "w")
        for job in jobs where job.delivery.eventKind == .callBegin {
            var attempt = F.attempt(1, success: false)
            attempt.errorMessage = "HTTP 500"
            try await store.recordAttempts([
                AttemptResult(deliveryID: job.delivery.id, attempt: attempt, verdict: .retry(at: F.t0.adding(seconds: 3600)), renderedPayload: nil, now: F.t0)
            ])
        }
        #expect(try await store.webhook(id: webhook.id, accountID: account.id)?.health.state == .failing)
        let offer = offer(slots: 5)
        #expect(try await begin(store, account, "c6", offer: offer).leased.isEmpty)
        #expect(offer.claimed == 0)

        // A first attempt the schedule puts later waits for its time.
        let delayed = try await F.webhook(store, account: account, triggers: [.callBegin], retry: RetryPolicy(schedule: [30, 60], maximumAge: 100))
        #expect(try await begin(store, account, "c7", offer: self.offer(slots: 5)).leased.map(\.webhook.id).contains(delayed.id) == false)
    }

    @Test(arguments: StoreEngine.allCases)
    func aFailedIngestClaimsNothingItKeeps(engine: StoreEngine) async throws {
        let store = try await engine.makeStore()
        let account = try await F.account(store)
        _ = try await F.webhook(store, account: account)
        _ = try await begin(store, account, "c1", offer: nil)
        let offer = offer(slots: 5)
        await #expect(throws: StoreError.self) { try await begin(store, account, "c1", offer: offer) }
        #expect(offer.claimed == 0)
    }

    /// A call's beginning stores the call and its event with or without webhooks to send it to; a
    /// second beginning of the same call is a conflict that stores nothing, whichever webhooks
    /// are there, and the first one's call, event and delivery stay as they were.
    @Test(arguments: StoreEngine.allCases)
    func aCallBegunTwiceIsRefusedWholeWithOrWithoutWebhooks(engine: StoreEngine) async throws {
        let store = try await engine.makeStore()
        let account = try await F.account(store)
        let alone = try await begin(store, account, "c1", offer: offer(slots: 2)).receipt
        #expect(alone.eventID != nil && alone.deliveryIDs.isEmpty && alone.version == 1)
        #expect(try await store.call(id: "c1", accountID: account.id)?.values["callid"] == "c1")

        let webhook = try await F.webhook(store, account: account)
        let first = try await begin(store, account, "c2", offer: nil).receipt
        for call in ["c1", "c2"] {
            let offer = offer(slots: 2)
            await #expect {
                try await begin(store, account, call, offer: offer)
            } throws: { error in
                guard case .conflict(let message) = error as? StoreError else { return false }
                return message.contains(call)
            }
            #expect(offer.claimed == 0)
            #expect(try await store.events(accountID: account.id, subject: .call, subjectID: call, limit: 10).count == 1)
        }
        let deliveries = try await store.deliveries(accountID: account.id, filter: DeliveryFilter(webhookID: webhook.id), page: PageRequest()).items
        #expect(deliveries.map(\.id) == first.deliveryIDs)
        #expect(try await store.calls(accountID: account.id, page: PageRequest()).items.map(\.id).sorted() == ["c1", "c2"])
    }

    @Test(arguments: StoreEngine.allCases)
    func recordingAnAttemptLeasesWhatItsFreedSlotLetsGo(engine: StoreEngine) async throws {
        let store = try await engine.makeStore()
        let account = try await F.account(store)
        _ = try await F.webhook(store, account: account, maxInFlight: 1)
        _ = try await F.begin(store, account: account, call: "c1")
        _ = try await F.end(store, account: account, call: "c1")
        _ = try await F.begin(store, account: account, call: "c2")
        let first = try #require(try await store.leaseDueDeliveries(limit: 10, now: F.t0, leaseUntil: F.t0.adding(seconds: 60), owner: "w").first)
        #expect(first.delivery.subjectID == "c1" && first.delivery.eventKind == .callBegin)

        // Delivered: its slot goes to the oldest due delivery, here c1's end, now free to go.
        let offer = offer(slots: 5)
        let next = try await store.recordAttempts(
            [AttemptResult(deliveryID: first.delivery.id, attempt: F.attempt(1, success: true), verdict: .delivered, renderedPayload: nil, now: F.t0)],
            leasing: offer)
        #expect(next.map(\.delivery.subjectID) == ["c1"] && next.map(\.delivery.eventKind) == [.callEnd])
        #expect(offer.claimed == 1)
        #expect(try await store.leaseDueDeliveries(limit: 10, now: F.t0, leaseUntil: F.t0.adding(seconds: 60), owner: "w").isEmpty)

        // A failure that makes nothing due frees the slot for the next call.
        var failed = F.attempt(1, success: false)
        failed.errorMessage = "HTTP 500"
        let after = try await store.recordAttempts(
            [AttemptResult(deliveryID: next[0].delivery.id, attempt: failed, verdict: .retry(at: F.t0.adding(seconds: 10)), renderedPayload: nil, now: F.t0)],
            leasing: self.offer(slots: 5))
        #expect(after.map(\.delivery.subjectID) == ["c2"])
    }
}
