import Testing
import HooklineCore
@testable import HooklineStore

@Suite struct WebhookCacheTests {
    typealias F = Fixtures

    @Test func aDeletedWebhookLeavesTheCache() async throws {
        let store = try #require(try await StoreEngine.sqlite.makeStore() as? SQLiteStore)
        let account = try await F.account(store)
        let kept = try await F.webhook(store, account: account)
        let deleted = try await F.webhook(store, account: account)
        _ = try await F.begin(store, account: account, call: "c1")
        #expect(store.webhookCache.count == 2)

        #expect(try await store.deleteWebhook(id: deleted.id, accountID: account.id))
        #expect(store.webhookCache.count == 1)
        #expect(try await store.deleteWebhook(id: deleted.id, accountID: account.id) == false)
        _ = try await F.begin(store, account: account, call: "c2")
        #expect(store.webhookCache.count == 1)
        #expect(try await store.webhook(id: kept.id, accountID: account.id) != nil)
    }
}
