import HooklineCore
import Testing

/// An account's rule for webhooks that stay down: disabled once failing for its days, not a
/// moment before, never at 0, and never one a person already disabled or one that is healthy.
@Suite struct AutoDisableTests {
    typealias Q = QueueRulesTests

    static func failing(since: Timestamp, enabled: Bool = true) -> Webhook {
        var webhook = Q.webhook(EndpointHealth(state: .failing, consecutiveFailures: 40, failingSince: since, lastError: "HTTP 500"))
        webhook.settings.enabled = enabled
        return webhook
    }

    @Test func aWebhookFailingForTheAccountsDaysIsDisabledNotBefore() {
        let rule = AutoDisable.standard
        let webhook = Self.failing(since: Q.t0)
        #expect(rule.days == 5)
        #expect(!rule.disables(webhook, now: Q.t0.adding(seconds: 5 * 86_400 - 1)))
        #expect(rule.disables(webhook, now: Q.t0.adding(seconds: 5 * 86_400)))
        #expect(rule.reason == "failing without a success for 5 days")
        #expect(AutoDisable(days: 1).reason == "failing without a success for 1 day")
        #expect(!AutoDisable(days: 0).disables(webhook, now: Q.t0.adding(seconds: 10 * 365 * 86_400)), "0: never")
        #expect(!rule.disables(Self.failing(since: Q.t0, enabled: false), now: Q.t0.adding(seconds: 30 * 86_400)), "already off")
        #expect(!rule.disables(Q.webhook(EndpointHealth(consecutiveFailures: 3, lastError: "HTTP 500")), now: Q.t0.adding(seconds: 30 * 86_400)), "not failing")
    }
}
