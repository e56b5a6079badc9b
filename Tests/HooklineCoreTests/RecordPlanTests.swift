import HooklineCore
import Testing

/// What recording an attempt writes to its webhook, and what a replay writes to its delivery:
/// decided here, written by each engine as it is.
@Suite struct RecordPlanTests {
    typealias Q = QueueRulesTests
    static let webhook = Webhook(
        id: "wh", accountID: "a",
        settings: WebhookSettings(name: "w", url: "http://x/", template: .inline(Template(format: .json, body: "{}")), triggers: [.callEnd], enabled: true),
        secrets: WebhookSecrets(current: "s"), createdAt: Q.t0, updatedAt: Q.t0)

    static func transition(_ verdict: DeliveryJudge.Verdict, _ attempt: Attempt) -> AttemptTransition {
        AttemptTransition(verdict: verdict, attempt: attempt, captured: [:], wasPending: true, now: Q.t0)
    }

    @Test func aHealthyEndpointAnsweringWritesNothingToItsWebhook() {
        let success = Q.attempt(success: true)
        let plan = WebhookAfterAttempt(Self.transition(.delivered, success), attempt: success, state: .healthy, consecutiveFailures: 0)
        #expect(!plan.changesWebhook && plan.disabledReason == nil)
        #expect(plan.health(of: Self.webhook, after: success, now: Q.t0, earliestScheduled: nil) == nil)
        // After a failure, a success resets the streak.
        let afterFailure = WebhookAfterAttempt(Self.transition(.delivered, success), attempt: success, state: .healthy, consecutiveFailures: 2)
        #expect(afterFailure.judgesHealth)
    }

    @Test func failuresMakeAnEndpointFailingAndASuccessFlushesItsQueue() throws {
        let failure = Q.attempt(success: false)
        var webhook = Self.webhook
        for _ in 1...5 {
            let plan = WebhookAfterAttempt(
                Self.transition(.retry(at: Q.t0.adding(seconds: 60)), failure), attempt: failure, state: webhook.health.state,
                consecutiveFailures: webhook.health.consecutiveFailures)
            #expect(plan.judgesHealth && plan.disabledReason == nil)
            webhook.health = try #require(plan.health(of: webhook, after: failure, now: Q.t0, earliestScheduled: Q.t0.adding(seconds: 10))).health
        }
        #expect(webhook.health.state == .failing && webhook.health.nextProbeAt == Q.t0.adding(seconds: 10))
        let success = Q.attempt(success: true)
        let plan = WebhookAfterAttempt(Self.transition(.delivered, success), attempt: success, state: .failing, consecutiveFailures: 5)
        let recovered = try #require(plan.health(of: webhook, after: success, now: Q.t0, earliestScheduled: nil))
        #expect(recovered.flushesWaiting && recovered.health.state == .healthy)
    }

    @Test func goneDisablesTheWebhookAndATemplateErrorJudgesNoEndpoint() {
        let gone = Q.attempt(success: false)
        let plan = WebhookAfterAttempt(Self.transition(.disableWebhook, gone), attempt: gone, state: .healthy, consecutiveFailures: 0)
        #expect(plan.changesWebhook && plan.disabledReason == AttemptTransition.goneReason)
        let disabled = Self.webhook.disabled(reason: AttemptTransition.goneReason)
        #expect(!disabled.settings.enabled && disabled.disabledReason == AttemptTransition.goneReason && disabled.id == Self.webhook.id)

        let render = Q.attempt(success: false, kind: .render)
        let unrendered = WebhookAfterAttempt(Self.transition(.dead, render), attempt: render, state: .healthy, consecutiveFailures: 0)
        #expect(!unrendered.changesWebhook)
        #expect(unrendered.health(of: Self.webhook, after: render, now: Q.t0, earliestScheduled: nil) == nil)
    }

    @Test func aReplayIsPendingAtOnceWithAFreshSchedule() {
        let now = Q.t0.adding(seconds: 3600)
        let replay = Replay(now: now)
        #expect(replay.status == .pending && replay.nextAttemptAt == now && replay.scheduleStartedAt == now && replay.scheduleAttempts == 0)
        #expect(replay.updatedAt == now)
    }
}

/// What keeps a template, campaign or location from being deleted, and a tracking number from
/// being taken: the same words from every engine.
@Suite struct ReferenceConflictTests {
    typealias Q = QueueRulesTests

    static func webhook(_ id: String, template: TemplateSource, scope: WebhookScope) -> Webhook {
        var settings = WebhookSettings(name: id, url: "http://x/", template: template, triggers: [.callEnd], enabled: true)
        settings.scope = scope
        return Webhook(id: id, accountID: "a", settings: settings, secrets: WebhookSecrets(current: "s"), createdAt: Q.t0, updatedAt: Q.t0)
    }

    @Test func aTemplateOrPlaceInUseNamesItsWebhooks() throws {
        let template = Template(format: .json, body: "{}")
        let radio = try #require(Place(campaign: "cmp_radio"))
        let webhooks = [
            Self.webhook("wh_1", template: .stored(id: "tpl_1", template: template), scope: .placements([Placement(place: radio, moment: .end)])),
            Self.webhook("wh_2", template: .stored(id: "tpl_1", template: template), scope: .all),
            Self.webhook("wh_3", template: .inline(template), scope: .placements([])),
        ]
        #expect(ReferenceConflict.deletingTemplate("tpl_1", webhooks: webhooks)?.message == "template tpl_1 is used by webhook wh_1, wh_2; give them another template first")
        #expect(ReferenceConflict.deletingTemplate("tpl_2", webhooks: webhooks) == nil)
        // A webhook sent for every call is not enabled on any one campaign.
        #expect(ReferenceConflict.deletingPlace(.campaign("cmp_radio"), what: "campaign cmp_radio", webhooks: webhooks)?.message
            == "campaign cmp_radio has webhook wh_1 enabled on it; remove them there first")
        #expect(ReferenceConflict.deletingPlace(.location("loc_1"), what: "location loc_1", webhooks: webhooks) == nil)
        #expect(ReferenceConflict.trackingNumber("+1 555 0100", heldBy: nil).message.hasSuffix("another campaign"))
    }
}

@Suite struct PurgePlanTests {
    @Test func aSweepPurgesWhatFinishedBeforeTheCutoffAndNeverThePending() throws {
        let now = Timestamp(millisecondsSince1970: 1_796_212_800_000)
        #expect(Retention(days: nil).plan(now: now) == nil, "no retention keeps everything")
        let plan = try #require(Retention(days: 30, batchSize: 200).plan(now: now))
        let cutoff = now.adding(seconds: -30 * 86_400)
        #expect(plan.finishedBefore == cutoff && plan.eventsBefore == cutoff && plan.idleSubjectsBefore == cutoff && plan.keysBefore == cutoff)
        #expect(plan.limit == 200)
        #expect(Set(plan.finishedStatuses) == [.delivered, .dead] && !plan.finishedStatuses.contains(.pending))
    }
}
