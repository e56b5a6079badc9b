import HooklineCore
import Testing
@testable import HooklineDelivery

@Suite struct SigningKeyCacheTests {
    @Test func signsAsTheSecretDoesAndStaysWithinItsCapacity() {
        let cache = SigningKeyCache(capacity: 2)
        let (a, b, c) = (StandardWebhooks.generateSecret(), StandardWebhooks.generateSecret(), StandardWebhooks.generateSecret())
        let body = Array(#"{"id": "c1"}"#.utf8)
        let keys = cache.keys(for: [a, "not-a-secret", b])
        // The malformed secret signs nothing; the others sign as a one-off signature does, in order.
        #expect(keys.map { $0.signature(id: "dlv_1", timestamp: 7, body: body) }
            == [a, b].map { StandardWebhooks.signature(id: "dlv_1", timestamp: 7, body: body, secret: $0) })
        #expect(cache.count == 2)
        // Asked again, nothing is keyed anew; a third secret past the capacity starts the cache over.
        _ = cache.keys(for: [a, b])
        #expect(cache.count == 2)
        let third = cache.keys(for: [c])
        #expect(cache.count == 1)
        #expect(third.first?.signature(id: "dlv_1", timestamp: 7, body: body) == StandardWebhooks.signature(id: "dlv_1", timestamp: 7, body: body, secret: c))
    }
}
