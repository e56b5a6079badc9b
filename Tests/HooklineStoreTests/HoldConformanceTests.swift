import HooklineCore
import HooklineStore
import Testing

/// A webhook's hold: the end of a call waits for its recording, released by the update that
/// brings it or by its time, across a restart, once with two workers, in per-call order, and
/// without holding up the webhook's other calls. The same behaviour from every engine.
@Suite struct HoldConformanceTests {
    typealias F = Fixtures
    typealias L = LaterDataConformanceTests

    static func holdingWebhook(_ store: any Store, _ account: Account, seconds: Int = 900) async throws -> Webhook {
        var webhook = try await F.webhook(store, account: account, triggers: [.callBegin, .callEnd, .callUpdated], body: #"{"id": "%callid%", "link": "%rec_audiourl%"}"#)
        webhook.settings.hold = HoldRule(until: ["rec_audiourl"], maxSeconds: seconds)
        try await store.updateWebhook(webhook)
        return webhook
    }

    /// Leases what is due at `seconds` and records each as delivered; answers the jobs by kind.
    static func deliverDue(_ store: any Store, at seconds: Double) async throws -> [(EventKind, JSONObject)] {
        let now = F.t0.adding(seconds: seconds)
        let jobs = try await store.leaseDueDeliveries(limit: 20, now: now, leaseUntil: now.adding(seconds: 30), owner: "w")
        for job in jobs {
            try await store.recordAttempts([AttemptResult(deliveryID: job.delivery.id, attempt: F.attempt(1, success: true, at: now), verdict: .delivered, renderedPayload: nil, leaseOwner: "w", now: now)])
        }
        return jobs.map { ($0.delivery.eventKind, $0.values) }
    }

    static func status(_ store: any Store, _ account: Account, _ status: DeliveryStatus) async throws -> [Delivery] {
        try await store.deliveries(accountID: account.id, filter: DeliveryFilter(status: status), page: PageRequest()).items
    }

    @Test(arguments: StoreEngine.allCases)
    func theEndWaitsForItsRecordingThenGoesWithItAndTheUpdateAfterIt(engine: StoreEngine) async throws {
        let store = try await engine.makeStore()
        let account = try await F.account(store)
        _ = try await Self.holdingWebhook(store, account)
        _ = try await L.ingest(store, account, .beginCall(callID: "c1", values: ["callid": "c1"]), at: 0)
        _ = try await L.ingest(store, account, .endCall(callID: "c1", values: ["dialstatus": "ANSWER"]), at: 30)
        let held = try await Self.status(store, account, .held)
        #expect(held.count == 1 && held.first?.eventKind == .callEnd && held.first?.heldFor == ["rec_audiourl"])
        #expect(held.first?.heldUntil == F.t0.adding(seconds: 930))
        #expect(try await Self.deliverDue(store, at: 31).map(\.0) == [.callBegin])
        // Another call's end that already knows its recording is not held up behind this one.
        _ = try await L.ingest(store, account, .beginCall(callID: "c2", values: ["callid": "c2"]), at: 40)
        _ = try await L.ingest(store, account, .endCall(callID: "c2", values: ["rec_audiourl": "https://r/2"]), at: 41)
        #expect(Set(try await Self.deliverDue(store, at: 42).map(\.0)) == [.callBegin])
        #expect(try await Self.deliverDue(store, at: 43).map(\.0) == [.callEnd])
        #expect(try await Self.deliverDue(store, at: 100).isEmpty, "the held end waits")

        let update = try await L.ingest(store, account, .updateCall(callID: "c1", values: ["rec_audiourl": "https://r/1"]), at: 210)
        #expect(update.deliveryIDs.count == 1)
        #expect(try await Self.status(store, account, .held).isEmpty)
        let end = try await Self.deliverDue(store, at: 211)
        #expect(end.map(\.0) == [.callEnd] && end.first?.1["rec_audiourl"] == "https://r/1" && end.first?.1["dialstatus"] == "ANSWER")
        let after = try await Self.deliverDue(store, at: 212)
        #expect(after.map(\.0) == [.callUpdated], "the update goes after the end it released")
        let delivered = try await Self.status(store, account, .delivered)
        #expect(delivered.first { $0.eventKind == .callEnd && $0.subjectID == "c1" }?.subjectVersion == 3, "the end rendered the call as the update left it")
    }

    @Test(arguments: StoreEngine.allCases)
    func aHoldEndsAtItsTimeAcrossARestartAndGoesWithWhatIsKnown(engine: StoreEngine) async throws {
        let first = try await engine.makeStore()
        let account = try await F.account(first)
        _ = try await Self.holdingWebhook(first, account, seconds: 60)
        _ = try await L.ingest(first, account, .beginCall(callID: "c1", values: ["callid": "c1"]), at: 0)
        _ = try await L.ingest(first, account, .endCall(callID: "c1", values: ["dialstatus": "ANSWER"]), at: 10)
        _ = try await Self.deliverDue(first, at: 11)
        _ = try await L.ingest(first, account, .updateCall(callID: "c1", values: ["call_note": "callback"]), at: 20)
        #expect(try await Self.status(first, account, .held).count == 1, "an update without the recording releases nothing")
        let store = try await engine.reopen(first)
        #expect(try await store.releaseExpiredHolds(now: F.t0.adding(seconds: 69), limit: 10) == 0)
        #expect(try await store.releaseExpiredHolds(now: F.t0.adding(seconds: 70), limit: 10) == 1)
        #expect(try await store.releaseExpiredHolds(now: F.t0.adding(seconds: 71), limit: 10) == 0)
        let jobs = try await Self.deliverDue(store, at: 72)
        #expect(jobs.map(\.0) == [.callEnd] && jobs.first?.1["rec_audiourl"] == nil && jobs.first?.1["call_note"] == "callback")
        #expect(try await Self.deliverDue(store, at: 73).map(\.0) == [.callUpdated])
    }

    @Test(arguments: StoreEngine.allCases)
    func aHeldEndBehindAnUnsentBeginWaitsForItsTurnWhenReleased(engine: StoreEngine) async throws {
        let store = try await engine.makeStore()
        let account = try await F.account(store)
        _ = try await Self.holdingWebhook(store, account)
        _ = try await L.ingest(store, account, .beginCall(callID: "c1", values: ["callid": "c1"]), at: 0)
        _ = try await L.ingest(store, account, .endCall(callID: "c1", values: [:]), at: 1)
        _ = try await L.ingest(store, account, .updateCall(callID: "c1", values: ["rec_audiourl": "https://r/1"]), at: 2)
        #expect(try await Self.deliverDue(store, at: 3).map(\.0) == [.callBegin])
        #expect(try await Self.deliverDue(store, at: 4).map(\.0) == [.callEnd])
        #expect(try await Self.deliverDue(store, at: 5).map(\.0) == [.callUpdated])
    }

    @Test(arguments: StoreEngine.allCases)
    func twoWritersReleaseEachExpiredHoldOnce(engine: StoreEngine) async throws {
        let (first, second) = try await engine.makeTwoStores()
        let account = try await F.account(first)
        _ = try await Self.holdingWebhook(first, account, seconds: 5)
        for index in 0..<30 {
            _ = try await L.ingest(first, account, .beginCall(callID: "c\(index)", values: ["callid": .string("c\(index)")]), at: 0)
            _ = try await L.ingest(first, account, .endCall(callID: "c\(index)", values: [:]), at: 1)
        }
        #expect(try await Self.status(first, account, .held).count == 30)
        let now = F.t0.adding(seconds: 10)
        async let one = first.releaseExpiredHolds(now: now, limit: 7)
        async let two = second.releaseExpiredHolds(now: now, limit: 7)
        var released = try await one + two
        while true {
            let more = try await second.releaseExpiredHolds(now: now, limit: 7)
            if more == 0 { break }
            released += more
        }
        #expect(released == 30)
        #expect(try await Self.status(first, account, .held).isEmpty)
    }
}
