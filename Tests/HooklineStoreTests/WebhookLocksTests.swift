import Testing

@testable import HooklineStore

@Suite struct WebhookLocksTests {
    @Test func aWebhookIsHeldByAnotherUntilEveryOtherTransactionHoldingItEnds() {
        let locks = WebhookLocks()
        let (first, second, third) = (WebhookLocks.Taken(in: locks), WebhookLocks.Taken(in: locks), WebhookLocks.Taken(in: locks))
        first.add("wh_1")
        #expect(!first.isHeldByAnother("wh_1"))
        #expect(second.isHeldByAnother("wh_1") && !second.isHeldByAnother("wh_2"))
        // A transaction tried again after a rollback may take it twice.
        second.add("wh_1")
        second.add("wh_1")
        first.release()
        #expect(!second.isHeldByAnother("wh_1") && third.isHeldByAnother("wh_1"))
        second.release()
        #expect(!third.isHeldByAnother("wh_1"))
        // Released twice, nothing goes below zero.
        second.release()
        third.add("wh_1")
        #expect(first.isHeldByAnother("wh_1"))
    }
}
