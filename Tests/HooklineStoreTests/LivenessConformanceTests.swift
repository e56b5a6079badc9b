import Foundation
import HooklineCore
import HooklineStore
import Testing

private typealias F = Fixtures

/// Heartbeats and the release of a silent worker's leases, across two stores on one database (two
/// processes, as far as the database can tell).
@Suite struct LivenessConformanceTests {
    static let liveness = WorkerLiveness(silenceLimit: .seconds(15))

    @Test(arguments: StoreEngine.allCases)
    func aSilentWorkersLeasesGoToTheLivingAndFreeTheirSlots(engine: StoreEngine) async throws {
        let (first, second) = try await engine.makeTwoStores()
        let account = try await F.account(first)
        _ = try await F.webhook(first, account: account, maxInFlight: 2)
        for call in ["a", "b", "c", "d"] { _ = try await F.begin(first, account: account, call: call) }
        try await first.heartbeat(owner: "dead", now: F.t0)
        try await second.heartbeat(owner: "alive", now: F.t0)
        let leaseUntil = F.t0.adding(seconds: 180)
        let held = try await first.leaseDueDeliveries(limit: 10, now: F.t0, leaseUntil: leaseUntil, owner: "dead")
        #expect(held.count == 2)
        // The webhook's two slots are taken until the lease runs out.
        #expect(try await second.leaseDueDeliveries(limit: 10, now: F.t0.adding(seconds: 1), leaseUntil: leaseUntil, owner: "alive").isEmpty)

        // Ten seconds on, "dead" is not silent long enough; "alive" heartbeats on.
        let early = F.t0.adding(seconds: 10)
        try await second.heartbeat(owner: "alive", now: early)
        #expect(try await second.releaseLeasesOfSilentWorkers(silentBefore: Self.liveness.silentBefore(early), now: early) == 0)

        let later = F.t0.adding(seconds: 16)
        try await second.heartbeat(owner: "alive", now: later)
        #expect(try await second.releaseLeasesOfSilentWorkers(silentBefore: Self.liveness.silentBefore(later), now: later) == 2)
        // Released twice at once, by two workers: the rows go once.
        #expect(try await first.releaseLeasesOfSilentWorkers(silentBefore: Self.liveness.silentBefore(later), now: later) == 0)
        let taken = try await second.leaseDueDeliveries(limit: 10, now: later, leaseUntil: later.adding(seconds: 180), owner: "alive")
        // Both slots are free again: the released rows are due, and so is the rest of the backlog.
        #expect(taken.count == 2)
        // A living worker's leases stay its own.
        let muchLater = later.adding(seconds: 10)
        try await second.heartbeat(owner: "alive", now: muchLater)
        #expect(try await first.releaseLeasesOfSilentWorkers(silentBefore: Self.liveness.silentBefore(muchLater), now: muchLater) == 0)
    }

    @Test(arguments: StoreEngine.allCases)
    func aLeaseOfAWorkerThatNeverHeartbeatIsReleased(engine: StoreEngine) async throws {
        let store = try await engine.makeStore()
        let account = try await F.account(store)
        _ = try await F.webhook(store, account: account)
        _ = try await F.begin(store, account: account, call: "a")
        _ = try await store.leaseDueDeliveries(limit: 10, now: F.t0, leaseUntil: F.t0.adding(seconds: 180), owner: "ghost")
        let now = F.t0.adding(seconds: 1)
        #expect(try await store.releaseLeasesOfSilentWorkers(silentBefore: Self.liveness.silentBefore(now), now: now) == 1)
    }

    /// A worker whose lease transaction failed without an answer (the connection lost at COMMIT)
    /// releases what it may have leased then, keeping what it is sending and what it leased since.
    @Test(arguments: StoreEngine.allCases)
    func leasesAWorkerDoesNotKnowItHoldsAreReleasedAndTheOthersKept(engine: StoreEngine) async throws {
        let store = try await engine.makeStore()
        let account = try await F.account(store)
        _ = try await F.webhook(store, account: account, maxInFlight: 10)
        for call in ["a", "b", "c", "d"] { _ = try await F.begin(store, account: account, call: call) }
        let firstUntil = F.t0.adding(seconds: 180)
        let first = try await store.leaseDueDeliveries(limit: 3, now: F.t0, leaseUntil: firstUntil, owner: "w")
        #expect(first.count == 3)
        // Leased after the failure: runs out later, and is kept.
        let later = try await store.leaseDueDeliveries(limit: 3, now: F.t0.adding(seconds: 1), leaseUntil: firstUntil.adding(seconds: 1), owner: "w")
        #expect(later.count == 1)
        // Another worker's lease is never touched.
        let now = F.t0.adding(seconds: 2)
        let released = try await store.releaseUnknownLeases(
            owner: "w", keeping: [first[0].delivery.id], leasedUntilBefore: Timestamp(millisecondsSince1970: firstUntil.millisecondsSince1970 + 1), now: now)
        #expect(released == 2)
        let again = try await store.leaseDueDeliveries(limit: 10, now: now, leaseUntil: now.adding(seconds: 180), owner: "other")
        #expect(Set(again.map(\.delivery.id)) == Set(first.dropFirst().map(\.delivery.id)))
        #expect(try await store.releaseUnknownLeases(owner: "w", keeping: [], leasedUntilBefore: firstUntil, now: now) == 0)
    }

    /// SQLite: one process at a time holds the file for delivery, so a new one can tell that the
    /// leases it finds are orphans.
    @Test(arguments: [StoreEngine.sqlite])
    func onlyOneStoreAtATimeDeliversAndItReleasesWhatOthersLeftBehind(engine: StoreEngine) async throws {
        var first: (any Store)? = try await engine.makeStore()
        let second = try await engine.reopen(first!)
        let account = try await F.account(second)
        _ = try await F.webhook(second, account: account)
        _ = try await F.begin(second, account: account, call: "a")
        _ = try await second.leaseDueDeliveries(limit: 10, now: F.t0, leaseUntil: F.t0.adding(seconds: 180), owner: "before")
        #expect(try await first!.claimSoleDelivery(owner: "before"))
        #expect(try await first!.claimSoleDelivery(owner: "before"))
        #expect(try await !second.claimSoleDelivery(owner: "after"))
        // The first process ends (its store closes, as at exit or a crash).
        first = nil
        let third = try await engine.reopen(second)
        #expect(try await third.claimSoleDelivery(owner: "after"))
        #expect(try await third.releaseLeases(notHeldBy: "after", now: F.t0.adding(seconds: 1)) == 1)
        #expect(try await third.leaseDueDeliveries(limit: 10, now: F.t0.adding(seconds: 1), leaseUntil: F.t0.adding(seconds: 181), owner: "after").count == 1)
    }

    /// PostgreSQL: any number of processes deliver at once, so none claims to be the only one; the
    /// leases of one that stops are released by the others once its heartbeats stop.
    @Test func onPostgresNoStoreClaimsToDeliverAlone() async throws {
        let first = try await StoreEngine.postgres.makeStore()
        let second = try await StoreEngine.postgres.reopen(first)
        #expect(try await !first.claimSoleDelivery(owner: "a"))
        #expect(try await !second.claimSoleDelivery(owner: "b"))
        let account = try await F.account(first)
        _ = try await F.webhook(first, account: account)
        _ = try await F.begin(first, account: account, call: "x")
        try await first.heartbeat(owner: "a", now: F.t0)
        try await second.heartbeat(owner: "b", now: F.t0)
        #expect(try await first.leaseDueDeliveries(limit: 10, now: F.t0, leaseUntil: F.t0.adding(seconds: 180), owner: "a").count == 1)
        // "b" beats on, "a" has stopped: 15 s later "b" releases what "a" held.
        try await second.heartbeat(owner: "b", now: F.t0.adding(seconds: 16))
        #expect(try await second.releaseLeasesOfSilentWorkers(silentBefore: F.t0.adding(seconds: 1), now: F.t0.adding(seconds: 16)) == 1)
        #expect(try await second.leaseDueDeliveries(limit: 10, now: F.t0.adding(seconds: 16), leaseUntil: F.t0.adding(seconds: 196), owner: "b").count == 1)
    }
}
