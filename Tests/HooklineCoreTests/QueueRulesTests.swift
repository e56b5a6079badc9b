import HooklineCore
import Testing

/// The queue's decisions, without a database: what a lease may take, when a webhook is next due,
/// what an attempt's verdict does, and how an event becomes values and deliveries.
@Suite struct QueueRulesTests {
    static let t0 = Timestamp(millisecondsSince1970: 1_700_000_000_000)
    static let failing = EndpointHealth(state: .failing, consecutiveFailures: 5, failingSince: t0, lastError: "HTTP 500", nextProbeAt: t0.adding(seconds: 30))

    static func attempt(success: Bool, kind: AttemptErrorKind? = .status) -> Attempt {
        Attempt(
            number: 1, startedAt: t0, durationMilliseconds: 3, request: RecordedRequest(method: "POST", url: "http://x/", headers: [], body: ""),
            response: nil, errorKind: success ? nil : kind, errorMessage: success ? nil : "HTTP 500")
    }

    static func webhook(_ health: EndpointHealth, maxInFlight: Int = WebhookSettings.defaultMaxInFlight) -> Webhook {
        var webhook = WebhookTroubleTests.webhook("w")
        webhook.health = health
        webhook.settings.maxInFlight = maxInFlight
        return webhook
    }

    @Test func aHealthyWebhookLeasesUpToItsFreeSlots() {
        #expect(LeasePolicy.take(health: .healthy, maxInFlight: 8, leasedRows: 3, inFlight: 3, firstWaiting: Self.t0, now: Self.t0) == .due(limit: 5))
        // Answered requests no longer count, though their rows are leased.
        #expect(LeasePolicy.take(health: .healthy, maxInFlight: 8, leasedRows: 8, inFlight: 6, firstWaiting: Self.t0, now: Self.t0) == .due(limit: 2))
        #expect(LeasePolicy.take(health: .healthy, maxInFlight: 8, leasedRows: 8, inFlight: 8, firstWaiting: Self.t0, now: Self.t0) == .nothing)
        // Nothing waiting, or nothing due yet: no delivery to read.
        #expect(LeasePolicy.take(health: .healthy, maxInFlight: 8, leasedRows: 0, inFlight: 0, firstWaiting: nil, now: Self.t0) == .nothing)
        #expect(LeasePolicy.take(health: .healthy, maxInFlight: 8, leasedRows: 0, inFlight: 0, firstWaiting: Self.t0.adding(seconds: 1), now: Self.t0) == .nothing)
    }

    @Test func aFailingWebhookGetsOneProbeAtItsTime() {
        let before = Self.t0.adding(seconds: 29)
        let at = Self.t0.adding(seconds: 30)
        // The probe is the earliest waiting delivery, due or not; with none there is none.
        let later = Self.t0.adding(seconds: 600)
        #expect(LeasePolicy.take(health: Self.failing, maxInFlight: 8, leasedRows: 0, inFlight: 0, firstWaiting: nil, now: at) == .nothing)
        #expect(LeasePolicy.take(health: Self.failing, maxInFlight: 8, leasedRows: 0, inFlight: 0, firstWaiting: later, now: before) == .nothing)
        #expect(LeasePolicy.take(health: Self.failing, maxInFlight: 8, leasedRows: 0, inFlight: 0, firstWaiting: later, now: at) == .probe)
        // A probe out, even answered, holds the next one back.
        #expect(LeasePolicy.take(health: Self.failing, maxInFlight: 8, leasedRows: 1, inFlight: 0, firstWaiting: later, now: at) == .nothing)
    }

    @Test func onlyWhatIsDueAtAHealthyWebhookWithASlotGoesAtOnce() {
        let now = Self.t0
        let atOnce = RetryPolicy(schedule: [0, 10], maximumAge: 100)
        let first = IngestDelivery(retry: atOnce, waitsBehindEarlier: false, now: now)
        let healthy = Self.webhook(.healthy, maxInFlight: 2)
        let failing = Self.webhook(Self.failing, maxInFlight: 2)
        #expect(first.leasesAtOnce(healthy, inFlight: 1))
        #expect(!first.leasesAtOnce(healthy, inFlight: 2))
        #expect(!first.mayLeaseAtOnce(failing) && !first.leasesAtOnce(failing, inFlight: 0))
        let behind = IngestDelivery(retry: atOnce, waitsBehindEarlier: true, now: now)
        #expect(!behind.mayLeaseAtOnce(healthy) && behind.nextAttemptAt(leasedUntil: nil) == nil)
        let later = IngestDelivery(retry: RetryPolicy(schedule: [5, 10], maximumAge: 100), waitsBehindEarlier: false, now: now)
        #expect(!later.mayLeaseAtOnce(healthy) && later.nextAttemptAt(leasedUntil: nil) == now.adding(seconds: 5))
        #expect(first.nextAttemptAt(leasedUntil: now.adding(seconds: 300)) == now.adding(seconds: 300))
        #expect(IngestDelivery.checksOrder(of: .callEnd) && IngestDelivery.checksOrder(of: .leadMessage))
        #expect(!IngestDelivery.checksOrder(of: .callBegin) && !IngestDelivery.checksOrder(of: .leadCreated))
        // The webhook's due time moves only earlier, and only for a delivery that has one.
        #expect(IngestDelivery.movesDueTime(from: nil, to: now) && IngestDelivery.movesDueTime(from: now.adding(seconds: 1), to: now))
        #expect(!IngestDelivery.movesDueTime(from: now, to: now) && !IngestDelivery.movesDueTime(from: nil, to: nil))
    }

    @Test func aWebhookIsDueAtItsFirstWaitingDeliveryOrLeaseExpiry() {
        let (now, waiting, expiry) = (Self.t0, Self.t0.adding(seconds: 5), Self.t0.adding(seconds: 60))
        func due(_ health: EndpointHealth, inFlight: Int, waiting: Timestamp?, expiry: Timestamp?) -> Timestamp? {
            LeasePolicy.dueTime(health: health, maxInFlight: 2, inFlight: inFlight, firstWaiting: waiting, firstExpiry: expiry, now: now)
        }
        #expect(due(.healthy, inFlight: 1, waiting: waiting, expiry: expiry) == waiting)
        // Full: only a lease running out frees a slot.
        #expect(due(.healthy, inFlight: 2, waiting: waiting, expiry: expiry) == expiry)
        #expect(due(.healthy, inFlight: 0, waiting: nil, expiry: nil) == nil)
        // Failing: the probe time, or the probe's lease running out.
        #expect(due(Self.failing, inFlight: 0, waiting: waiting, expiry: nil) == Self.failing.nextProbeAt)
        #expect(due(Self.failing, inFlight: 1, waiting: waiting, expiry: expiry) == expiry)
        #expect(due(Self.failing, inFlight: 0, waiting: nil, expiry: nil) == nil)
    }

    @Test func aVerdictSaysWhatHappensToTheDeliveryAndItsCall() {
        let later = Self.t0.adding(seconds: 10)
        let delivered = AttemptTransition(verdict: .delivered, attempt: Self.attempt(success: true), captured: ["order_id": "7"], wasPending: true, now: Self.t0)
        #expect(delivered.status == .delivered && delivered.nextAttemptAt == nil && !delivered.schedulesAttempt)
        #expect(delivered.releasesNextOfSubject && delivered.captures == ["order_id": "7"] && delivered.disablesWebhook == nil)

        let retry = AttemptTransition(verdict: .retry(at: later), attempt: Self.attempt(success: false), captured: [:], wasPending: true, now: Self.t0)
        #expect(retry.status == .pending && retry.nextAttemptAt == later && retry.schedulesAttempt && !retry.releasesNextOfSubject)

        let dead = AttemptTransition(verdict: .dead, attempt: Self.attempt(success: false), captured: [:], wasPending: true, now: Self.t0)
        #expect(dead.status == .dead && dead.releasesNextOfSubject)

        let gone = AttemptTransition(verdict: .disableWebhook, attempt: Self.attempt(success: false), captured: [:], wasPending: true, now: Self.t0)
        #expect(gone.status == .pending && gone.nextAttemptAt == Self.t0 && gone.disablesWebhook == AttemptTransition.goneReason)

        // A late duplicate of a delivered delivery releases nothing and captures nothing.
        let late = AttemptTransition(verdict: .delivered, attempt: Self.attempt(success: true), captured: ["order_id": "8"], wasPending: false, now: Self.t0)
        #expect(!late.releasesNextOfSubject && late.captures.isEmpty && !late.changesDelivery)

        // A worker whose lease ran out and went to another: its failure is only a record; its
        // success still delivers (the other's send is the duplicate). Its own lease: as usual.
        let stale = AttemptTransition(
            verdict: .dead, attempt: Self.attempt(success: false), captured: [:], wasPending: true, leaseHolder: "w2", recorder: "w1", now: Self.t0)
        #expect(!stale.changesDelivery && !stale.releasesNextOfSubject)
        let staleSuccess = AttemptTransition(
            verdict: .delivered, attempt: Self.attempt(success: true), captured: ["order_id": "9"], wasPending: true, leaseHolder: "w2", recorder: "w1", now: Self.t0)
        #expect(staleSuccess.changesDelivery && staleSuccess.releasesNextOfSubject && staleSuccess.captures == ["order_id": "9"])
        let own = AttemptTransition(
            verdict: .dead, attempt: Self.attempt(success: false), captured: [:], wasPending: true, leaseHolder: "w1", recorder: "w1", now: Self.t0)
        #expect(own.changesDelivery && own.releasesNextOfSubject)

        let render = AttemptTransition(verdict: .retry(at: later), attempt: Self.attempt(success: false, kind: .render), captured: [:], wasPending: true, now: Self.t0)
        #expect(!render.judgesEndpoint)
    }

    @Test func healthFailsAfterFiveFailuresAndRecoversWithAFlush() {
        var health = EndpointHealth.healthy
        for _ in 1...4 {
            health = try! #require(HealthTransition.after(health, attempt: Self.attempt(success: false), now: Self.t0, probeInterval: 30, earliestScheduled: nil)).health
        }
        #expect(health.state == .healthy)
        let fifth = try! #require(HealthTransition.after(health, attempt: Self.attempt(success: false), now: Self.t0, probeInterval: 30, earliestScheduled: nil))
        #expect(fifth.health.state == .failing && fifth.health.nextProbeAt == Self.t0.adding(seconds: 30) && !fifth.flushesWaiting)
        // A delivery scheduled before the probe interval is up is probed at its own time.
        let sooner = HealthTransition.after(health, attempt: Self.attempt(success: false), now: Self.t0, probeInterval: 30, earliestScheduled: Self.t0.adding(seconds: 5))
        #expect(sooner?.health.nextProbeAt == Self.t0.adding(seconds: 5))
        let recovered = try! #require(HealthTransition.after(fifth.health, attempt: Self.attempt(success: true), now: Self.t0, probeInterval: 30, earliestScheduled: nil))
        #expect(recovered.health.state == .healthy && recovered.flushesWaiting)
        // A healthy endpoint answering changes nothing, and engines need not read on.
        #expect(HealthTransition.after(.healthy, attempt: Self.attempt(success: true), now: Self.t0, probeInterval: 30, earliestScheduled: nil) == nil)
        #expect(!HealthTransition.mayChange(.healthy, consecutiveFailures: 0, succeeded: true))
        #expect(HealthTransition.mayChange(.healthy, consecutiveFailures: 1, succeeded: true))
    }

    @Test func anEventIsStampedEnrichedRoutedAndMatched() throws {
        let location = Location(id: "loc_1", accountID: "a", values: ["location_name": "Main St"], createdAt: Self.t0, updatedAt: Self.t0)
        let campaign = Campaign(
            id: "cmp_1", accountID: "a", name: "Radio", kind: .offline, tags: [:], locationID: "loc_1", trackingNumbers: ["+1 (555) 010-0000"],
            createdAt: Self.t0, updatedAt: Self.t0)
        let given: JSONObject = ["ani": "+1 555 0101", "tracking": "15550100000"]
        #expect(IngestRules.campaignLookup(RoutingContext(campaignID: "cmp_9"), values: given) == .id("cmp_9"))
        #expect(IngestRules.campaignLookup(RoutingContext(), values: given) == .trackingNumber("15550100000"))
        #expect(IngestRules.campaignLookup(RoutingContext(), values: [:]) == .none)
        let routing = IngestRules.routing(RoutingContext(), campaign: campaign)
        #expect(routing == RoutingContext(campaignID: "cmp_1", locationID: "loc_1"))
        #expect(IngestRules.routing(RoutingContext(locationID: "loc_2"), campaign: campaign).locationID == "loc_2")
        #expect(IngestRules.repeatCallerLookup(given) == "15550101")
        #expect(IngestRules.repeatCallerLookup(["ani": "5550101", "repeat_caller": 0]) == nil)
        let values = IngestRules.beginValues(given, campaign: campaign, location: location, received: Self.t0, calledBefore: true)
        #expect(values["repeat_caller"] == 1 && values["campaign_name"] == "Radio" && values["location_name"] == "Main St")
        #expect(values["call_start_time"] == .string(Self.t0.iso8601))
        // What the source said wins over the stamp.
        let told = IngestRules.beginValues(["call_start_time": "x", "repeat_caller": 0], campaign: nil, location: nil, received: Self.t0, calledBefore: true)
        #expect(told["call_start_time"] == "x" && told["repeat_caller"] == 0)

        let webhook = { (triggers: [EventKind], enabled: Bool) in
            Webhook(
                id: "wh", accountID: "a",
                settings: WebhookSettings(name: "w", url: "http://x/", template: .inline(Template(format: .json, body: "{}")), triggers: triggers, enabled: enabled),
                secrets: WebhookSecrets(current: "s"), createdAt: Self.t0, updatedAt: Self.t0)
        }
        let matched = IngestRules.matching([webhook([.callBegin], true), webhook([.callEnd], true), webhook([.callBegin], false)], kind: .callBegin, values: values, routing: routing)
        #expect(matched.count == 1 && matched[0].settings.triggers == [.callBegin])
        #expect(EventKind.callEnd.subject == .call && EventKind.leadMessage.subject == .lead)
        #expect(EventKind.callBegin.createsSubject && !EventKind.callEnd.createsSubject)
    }
}
