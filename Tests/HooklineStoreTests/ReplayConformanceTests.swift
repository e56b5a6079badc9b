import HooklineCore
import HooklineStore
import Testing

/// A bulk replay: its preview counts what its filter matches per webhook; its job replays each
/// delivery once, a batch at a time, across a restart and two processes at once, in per-call
/// order; a cancelled job stops where it is. The same from every engine.
@Suite struct ReplayConformanceTests {
    typealias F = Fixtures
    typealias L = LaterDataConformanceTests

    /// Three calls, begun and ended, whose deliveries to `webhook` all died from `F.t0 + 10`, the
    /// webhook's receiver still healthy.
    static func deadCalls(_ store: any Store, _ account: Account, webhook: Webhook) async throws {
        for index in 1...3 {
            _ = try await L.ingest(store, account, .beginCall(callID: "c\(index)", values: ["callid": .string("c\(index)")]), at: 0)
            _ = try await L.ingest(store, account, .endCall(callID: "c\(index)", values: ["dialstatus": "ANSWER"]), at: 1)
        }
        var time = F.t0.adding(seconds: 10)
        while true {
            let jobs = try await store.leaseDueDeliveries(limit: 10, now: time, leaseUntil: time.adding(seconds: 60), owner: "w")
            if jobs.isEmpty { break }
            for job in jobs {
                // A template that could not render: dead, and nothing said about the receiver's health.
                var attempt = F.attempt(1, success: false, at: time)
                attempt.errorKind = .render
                try await store.recordAttempts([
                    AttemptResult(deliveryID: job.delivery.id, attempt: attempt, verdict: .dead, renderedPayload: nil, leaseOwner: "w", now: time)
                ])
            }
            time = time.adding(seconds: 1)
        }
    }

    @Test(arguments: StoreEngine.allCases)
    func aJobReplaysEachDeliveryOnceInPerCallOrderAcrossARestartAndTwoProcesses(engine: StoreEngine) async throws {
        let (first, second) = try await engine.makeTwoStores()
        let account = try await F.account(first)
        let other = try await F.account(first, "Other")
        let webhook = try await F.webhook(first, account: account, triggers: [.callBegin, .callEnd])
        try await Self.deadCalls(first, account, webhook: webhook)
        _ = try await F.webhook(first, account: other, triggers: [.callBegin])
        _ = try await L.ingest(first, other, .beginCall(callID: "x1", values: ["callid": "x1"]), at: 0)

        #expect(try await first.replayPreview(accountID: account.id, filter: ReplayFilter()) == [webhook.id: 6])
        #expect(try await first.replayPreview(accountID: account.id, filter: ReplayFilter(kinds: [.callEnd])) == [webhook.id: 3])
        #expect(try await first.replayPreview(accountID: account.id, filter: ReplayFilter(subjectIDs: ["c1"])) == [webhook.id: 2])
        #expect(try await first.replayPreview(accountID: account.id, filter: ReplayFilter(outcomes: [.delivered])).isEmpty)
        #expect(try await first.replayPreview(accountID: account.id, filter: ReplayFilter(from: F.t0.adding(seconds: 2))).isEmpty, "made before the window")
        #expect(try await first.replayPreview(accountID: other.id, filter: ReplayFilter(outcomes: [.dead, .failed, .delivered])).isEmpty)

        let now = F.t0.adding(seconds: 100)
        let job = ReplayJob(id: "rpl_1", accountID: account.id, filter: ReplayFilter(), total: 6, createdAt: now, updatedAt: now)
        try await first.insertReplayJob(job)
        #expect(try await first.advanceReplayJobs(now: now, jobs: 10, batch: 2) == 2)
        let restarted = try await engine.reopen(first)
        #expect(try await restarted.replayJob(id: "rpl_1", accountID: account.id)?.replayed == 2)
        // Two processes at once: the job is taken by one, the batch is never replayed twice.
        async let fromFirst = restarted.advanceReplayJobs(now: now.adding(seconds: 1), jobs: 10, batch: 2)
        async let fromSecond = second.advanceReplayJobs(now: now.adding(seconds: 1), jobs: 10, batch: 2)
        let together = try await fromFirst + fromSecond
        #expect(together == 2 || together == 4)
        while try await restarted.advanceReplayJobs(now: now.adding(seconds: 2), jobs: 10, batch: 2) > 0 {}
        let done = try #require(try await second.replayJob(id: "rpl_1", accountID: account.id))
        #expect(done.status == .done && done.replayed == 6, "\(done)")
        #expect(try await first.replayJob(id: "rpl_1", accountID: other.id) == nil, "another account's job is not found")

        // Each call's end waits behind its begin, as when they first came.
        let lease = now.adding(seconds: 3)
        let begins = try await restarted.leaseDueDeliveries(limit: 10, now: lease, leaseUntil: lease.adding(seconds: 60), owner: "w")
            .filter { $0.webhook.id == webhook.id }
        #expect(begins.map(\.delivery.eventKind) == [.callBegin, .callBegin, .callBegin])
        for begin in begins {
            try await restarted.recordAttempts([
                AttemptResult(deliveryID: begin.delivery.id, attempt: F.attempt(2, success: true, at: lease), verdict: .delivered, renderedPayload: nil, leaseOwner: "w", now: lease)
            ])
        }
        let ends = try await restarted.leaseDueDeliveries(limit: 10, now: lease, leaseUntil: lease.adding(seconds: 60), owner: "w")
        #expect(ends.map(\.delivery.eventKind) == [.callEnd, .callEnd, .callEnd])
    }

    @Test(arguments: StoreEngine.allCases)
    func aCancelledJobStopsWhereItIsAndAFinishedOneStaysAsItEnded(engine: StoreEngine) async throws {
        let store = try await engine.makeStore()
        let account = try await F.account(store)
        let webhook = try await F.webhook(store, account: account, triggers: [.callBegin, .callEnd])
        try await Self.deadCalls(store, account, webhook: webhook)
        let now = F.t0.adding(seconds: 100)
        try await store.insertReplayJob(ReplayJob(id: "rpl_1", accountID: account.id, filter: ReplayFilter(), total: 6, createdAt: now, updatedAt: now))
        #expect(try await store.advanceReplayJobs(now: now, jobs: 10, batch: 2) == 2)
        let cancelled = try #require(try await store.cancelReplayJob(id: "rpl_1", accountID: account.id, now: now.adding(seconds: 1)))
        #expect(cancelled.status == .cancelled && cancelled.replayed == 2)
        #expect(try await store.advanceReplayJobs(now: now.adding(seconds: 2), jobs: 10, batch: 2) == 0)
        #expect(try await store.replayPreview(accountID: account.id, filter: ReplayFilter()) == [webhook.id: 4], "what it had not reached is still dead")
        #expect(try await store.cancelReplayJob(id: "rpl_1", accountID: "acc_other", now: now) == nil)
        #expect(try await store.replayJobs(accountID: account.id, limit: 10).map(\.id) == ["rpl_1"])
    }
}
