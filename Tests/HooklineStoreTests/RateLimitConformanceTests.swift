import HooklineCore
import HooklineStore
import Testing

/// A webhook's rate limit is one bucket in the store: two workers leasing share it, two processes
/// leasing at once share it, a restart keeps it, and the webhook is due when its next token comes. The same from every engine.
@Suite struct RateLimitConformanceTests {
    typealias F = Fixtures
    typealias L = LaterDataConformanceTests

    @Test(arguments: StoreEngine.allCases)
    func twoWorkersShareOneBucketThatARestartKeeps(engine: StoreEngine) async throws {
        let first = try await engine.makeStore()
        let account = try await F.account(first)
        var webhook = try await F.webhook(first, account: account, triggers: [.callBegin], maxInFlight: 20)
        webhook.settings.rateLimit = RateLimit(requests: 2, seconds: 10)
        try await first.updateWebhook(webhook)
        for index in 0..<6 {
            _ = try await L.ingest(first, account, .beginCall(callID: "c\(index)", values: ["callid": .string("c\(index)")]), at: 0)
        }
        func lease(_ store: any Store, owner: String, at seconds: Double) async throws -> Int {
            let now = F.t0.adding(seconds: seconds)
            return try await store.leaseDueDeliveries(limit: 10, now: now, leaseUntil: now.adding(seconds: 100_000), owner: owner).count
        }
        #expect(try await lease(first, owner: "a", at: 1) == 2, "a full bucket: a burst of its size")
        #expect(try await lease(first, owner: "b", at: 1) == 0, "the other worker finds it spent")
        #expect(try await first.nextDueTime() == F.t0.adding(seconds: 6), "due when the next token comes, one every 5 s")
        #expect(try await lease(first, owner: "b", at: 5.9) == 0)

        let store = try await engine.reopen(first)
        #expect(try await lease(store, owner: "b", at: 6) == 1)
        #expect(try await lease(store, owner: "a", at: 6) == 0)
        // Two processes leasing at the same moment share the two tokens two intervals bring.
        async let fromA = lease(store, owner: "a", at: 16)
        async let fromB = lease(first, owner: "b", at: 16)
        #expect(try await fromA + fromB == 2, "two intervals later, two tokens between both processes")
        #expect(try await lease(store, owner: "b", at: 3600) == 1, "the last one; a quiet hour refills no more than the size")

        // Without a limit, whatever is due goes at once.
        for index in 6..<10 {
            _ = try await L.ingest(store, account, .beginCall(callID: "c\(index)", values: ["callid": .string("c\(index)")]), at: 3601)
        }
        var unlimited = try #require(try await store.webhook(id: webhook.id, accountID: account.id))
        unlimited.settings.rateLimit = nil
        try await store.updateWebhook(unlimited)
        #expect(try await lease(store, owner: "a", at: 3602) == 4)
    }
}
