import HooklineCore
import Testing

/// The webhooks list's order: what needs someone first, the longest streak and the biggest queue
/// first within a kind, and the same order on every load.
@Suite struct WebhookTroubleTests {
    static func webhook(
        _ name: String, enabled: Bool = true, disabledReason: String? = nil, failures: Int = 0, failing: Bool = false
    ) -> Webhook {
        var webhook = ReferenceConflictTests.webhook(name, template: .preset(PresetChoice(name: "roistat.call", options: [:])), scope: .all)
        webhook.settings.name = name
        webhook.settings.enabled = enabled
        webhook.disabledReason = disabledReason
        webhook.health = EndpointHealth(state: failing ? .failing : .healthy, consecutiveFailures: failures, lastError: failures > 0 ? "HTTP 500" : nil)
        return webhook
    }

    @Test func eachWebhookHasOneTroubleFromItsStateAndHealth() {
        #expect(WebhookTrouble(Self.webhook("a", enabled: false, disabledReason: "the receiver answered 410")) == .disabledByHookline)
        #expect(WebhookTrouble(Self.webhook("a", enabled: false)) == .disabled)
        #expect(WebhookTrouble(Self.webhook("a", failures: 7, failing: true)) == .failing)
        #expect(WebhookTrouble(Self.webhook("a", failures: 2)) == .retrying)
        #expect(WebhookTrouble(Self.webhook("a")) == .healthy)
        #expect(WebhookTrouble(Self.webhook("a", enabled: false, failures: 9, failing: true)) == .disabled, "a person's choice outranks its health")
    }

    @Test func theListPutsWhatNeedsSomeoneFirst() {
        let webhooks = [
            Self.webhook("quiet"),
            Self.webhook("paused", enabled: false),
            Self.webhook("flaky", failures: 2),
            Self.webhook("down a while", failures: 40, failing: true),
            Self.webhook("gone", enabled: false, disabledReason: "the receiver answered 410"),
            Self.webhook("down", failures: 6, failing: true),
            Self.webhook("busy"),
            Self.webhook("also quiet"),
        ]
        let queues = ["busy": WebhookQueue(waiting: 300), "quiet": WebhookQueue(waiting: 1)]
        let order = WebhookTrouble.sorted(webhooks, queues: queues).map(\.settings.name)
        #expect(order == ["gone", "down a while", "down", "flaky", "busy", "quiet", "also quiet", "paused"])
        #expect(WebhookTrouble.sorted(webhooks.reversed(), queues: queues).map(\.settings.name) == order, "the same order whatever the store's")
    }
}
