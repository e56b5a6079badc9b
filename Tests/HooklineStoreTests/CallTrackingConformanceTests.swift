import HooklineCore
import HooklineStore
import Testing

/// Templates, locations, campaigns, routing at ingest and captured values: the same behaviour
/// from every engine.
@Suite struct CallTrackingConformanceTests {
    typealias F = Fixtures

    static func settings(_ template: TemplateSource, scope: WebhookScope = .all, triggers: [EventKind] = [.callBegin, .callEnd]) -> WebhookSettings {
        WebhookSettings(
            name: "hook", url: "http://127.0.0.1:9/hook", template: template, triggers: triggers, retry: RetryPolicy(schedule: [0, 10], maximumAge: 100),
            scope: scope)
    }

    static func insert(_ store: any Store, _ account: Account, _ settings: WebhookSettings, id: String) async throws -> Webhook {
        let webhook = Webhook(id: id, accountID: account.id, settings: settings, secrets: .generate(), createdAt: F.t0, updatedAt: F.t0)
        try await store.insertWebhook(webhook)
        return webhook
    }

    @Test(arguments: StoreEngine.allCases)
    func aTemplateChangeReachesTheWebhooksThatNameIt(engine: StoreEngine) async throws {
        let store = try await engine.makeStore()
        let account = try await F.account(store)
        let other = try await F.account(store, "Other")
        let first = Template(format: .json, body: #"{"v": 1}"#)
        var stored = StoredTemplate(id: "tpl_1", accountID: account.id, name: "t", group: "g", template: first, createdAt: F.t0, updatedAt: F.t0)
        try await store.insertTemplate(stored)
        let naming = try await Self.insert(store, account, Self.settings(.stored(id: "tpl_1", template: first)), id: "wh_naming")
        let inline = try await Self.insert(store, account, Self.settings(.inline(first)), id: "wh_inline")
        #expect(try await store.templates(accountID: account.id, group: "g") == [stored])
        #expect(try await store.templates(accountID: account.id, group: "x").isEmpty)
        #expect(try await store.template(id: "tpl_1", accountID: other.id) == nil)

        stored.template = Template(format: .xml, body: "<v>2</v>")
        try await store.updateTemplate(stored)
        #expect(try await store.webhook(id: naming.id, accountID: account.id)?.settings.template == .stored(id: "tpl_1", template: stored.template))
        #expect(try await store.webhook(id: inline.id, accountID: account.id)?.settings.template == .inline(first))
        await #expect(throws: StoreError.self) { try await store.deleteTemplate(id: "tpl_1", accountID: account.id) }
        #expect(try await store.deleteWebhook(id: naming.id, accountID: account.id))
        #expect(try await store.deleteTemplate(id: "tpl_1", accountID: account.id))
        #expect(try await store.deleteTemplate(id: "tpl_1", accountID: account.id) == false)
    }

    @Test(arguments: StoreEngine.allCases)
    func aCallToATrackingNumberIsRoutedAndFilledIn(engine: StoreEngine) async throws {
        let store = try await engine.makeStore()
        let account = try await F.account(store)
        let location = Location(id: "loc_1", accountID: account.id, values: ["location_name": "Downtown", "location_id": "77"], createdAt: F.t0, updatedAt: F.t0)
        try await store.insertLocation(location)
        let campaign = Campaign(
            id: "cmp_1", accountID: account.id, name: "Radio", kind: .offline, tags: ["Region": "south"], locationID: "loc_1",
            trackingNumbers: ["7774839229", "7774839230"], createdAt: F.t0, updatedAt: F.t0)
        try await store.insertCampaign(campaign)
        #expect(try await store.campaign(id: "cmp_1", accountID: account.id) == campaign)
        var clash = campaign
        clash.id = "cmp_2"
        clash.trackingNumbers = ["7774839230"]
        await #expect(throws: StoreError.self) { try await store.insertCampaign(clash) }
        #expect(try await store.campaigns(accountID: account.id).count == 1)

        let scoped = try await Self.insert(store, account, Self.settings(.inline(Template(format: .json, body: "{}")), scope: .placements(CallMoment.allCases.map { Placement(place: Place(.campaign("cmp_1")), moment: $0) })), id: "wh_scoped")
        let elsewhere = try await Self.insert(store, account, Self.settings(.inline(Template(format: .json, body: "{}")), scope: .placements(CallMoment.allCases.map { Placement(place: Place(.location("loc_other")), moment: $0) })), id: "wh_elsewhere")
        let receipt = try await store.ingest(IngestRequest(
            accountID: account.id, command: .beginCall(callID: "c1", values: ["callid": "c1", "tracking": "777.483.9229", "ani": "5550001"]), idempotencyKey: nil, now: F.t0)).receipt
        let deliveries = try await store.deliveries(accountID: account.id, filter: DeliveryFilter(), page: PageRequest())
        #expect(receipt.deliveryIDs.count == 1 && deliveries.items.map(\.webhookID) == [scoped.id])
        _ = elsewhere
        let call = try #require(try await store.call(id: "c1", accountID: account.id))
        #expect(call.routing == RoutingContext(campaignID: "cmp_1", locationID: "loc_1"))
        #expect(call.values["campaign_name"] == "Radio" && call.values["tags"] == ["Region": "south"] && call.values["location_name"] == "Downtown")
        #expect(call.values["repeat_caller"] == 0)

        // The end of the call keeps the routing of its beginning.
        _ = try await store.ingest(IngestRequest(accountID: account.id, command: .endCall(callID: "c1", values: ["dialstatus": "ANSWER"]), idempotencyKey: nil, now: F.t0))
        #expect(try await store.deliveries(accountID: account.id, filter: DeliveryFilter(webhookID: scoped.id), page: PageRequest()).items.count == 2)
        _ = try await store.ingest(IngestRequest(
            accountID: account.id, command: .beginCall(callID: "c2", values: ["callid": "c2", "ani": "555-0001"]), idempotencyKey: nil, now: F.t0.adding(seconds: 1)))
        #expect(try await store.call(id: "c2", accountID: account.id)?.values["repeat_caller"] == 1)

        await #expect(throws: StoreError.self) { try await store.deleteCampaign(id: "cmp_1", accountID: account.id) }
        await #expect(throws: StoreError.self) { try await store.deleteLocation(id: "loc_1", accountID: account.id) }
    }

    /// A caller's calls in a row: the first is a first call, a later one from the same number
    /// (written otherwise) is a repeat one in the call, in its event's values (what its deliveries
    /// render) and in the routing (a first-calls-only webhook is not sent it), unless its source
    /// said; a call with no number is a first call; a beginning refused as a duplicate changes none.
    @Test(arguments: StoreEngine.allCases)
    func aRepeatCallerIsMarkedInTheCallItsEventAndItsRouting(engine: StoreEngine) async throws {
        let store = try await engine.makeStore()
        let account = try await F.account(store)
        let other = try await F.account(store, "Other")
        let all = try await Self.insert(store, account, Self.settings(.inline(Template(format: .json, body: "{}"))), id: "wh_all")
        var firstOnly = Self.settings(.inline(Template(format: .json, body: "{}")))
        firstOnly.firstCallOnly = true
        let first = try await Self.insert(store, account, firstOnly, id: "wh_first")
        func begin(_ call: String, _ values: JSONObject, in owner: Account = account, at second: Double) async throws -> IngestReceipt {
            try await store.ingest(IngestRequest(
                accountID: owner.id, command: .beginCall(callID: call, values: values), idempotencyKey: nil, now: F.t0.adding(seconds: second))).receipt
        }
        func repeatCaller(_ call: String) async throws -> JSONValue? { try await store.call(id: call, accountID: account.id)?.values["repeat_caller"] }

        // Another account's calls from the number are not this account's.
        _ = try await begin("o1", ["callid": "o1", "ani": "15550001"], in: other, at: 0)
        #expect(try await store.call(id: "o1", accountID: other.id)?.values["repeat_caller"] == 0)
        #expect(try await begin("c1", ["callid": "c1", "ani": "+1 (555) 000-1"], at: 1).deliveryIDs.count == 2)
        #expect(try await repeatCaller("c1") == 0)
        let again = try await begin("c2", ["callid": "c2", "ani": "15550001"], at: 2)
        #expect(try await repeatCaller("c2") == 1)
        let sent = try await store.deliveries(accountID: account.id, filter: DeliveryFilter(), page: PageRequest()).items
        #expect(again.deliveryIDs.count == 1 && sent.filter { $0.subjectID == "c2" }.map(\.webhookID) == [all.id])
        let jobs = try await store.leaseDueDeliveries(limit: 10, now: F.t0.adding(seconds: 2), leaseUntil: F.t0.adding(seconds: 60), owner: "w")
        #expect(jobs.filter { $0.delivery.subjectID == "c2" }.map { $0.values["repeat_caller"] } == [1])
        #expect(jobs.filter { $0.delivery.subjectID == "c1" }.map { $0.values["repeat_caller"] } == [0, 0])
        #expect(jobs.filter { $0.delivery.subjectID == "c1" && $0.webhook.id == first.id }.count == 1)

        // The source's word stands; no number, no earlier call.
        #expect(try await begin("c3", ["callid": "c3", "ani": "15550001", "repeat_caller": 0], at: 3).deliveryIDs.count == 2)
        #expect(try await repeatCaller("c3") == 0)
        #expect(try await begin("c4", ["callid": "c4"], at: 4).deliveryIDs.count == 2)
        #expect(try await repeatCaller("c4") == 0)
        await #expect(throws: StoreError.self) { try await begin("c1", ["callid": "c1", "ani": "15550001"], at: 5) }
        #expect(try await repeatCaller("c1") == 0)
        #expect(try await store.deliveries(accountID: account.id, filter: DeliveryFilter(), page: PageRequest()).items.count == 7)
    }

    @Test(arguments: StoreEngine.allCases)
    func capturedValuesAreKeptOnDeliveryAndRenderLaterDeliveriesOfTheCall(engine: StoreEngine) async throws {
        let store = try await engine.makeStore()
        let account = try await F.account(store)
        let webhook = try await F.webhook(store, account: account, triggers: [.callBegin, .callEnd, .callUpdated])
        _ = try await F.begin(store, account: account, call: "c1")
        let first = try await store.leaseDueDeliveries(limit: 10, now: F.t0, leaseUntil: F.t0.adding(seconds: 60), owner: "w")
        // A refused answer keeps nothing.
        try await store.recordAttempts([AttemptResult(
            deliveryID: first[0].delivery.id, attempt: F.attempt(1, success: false), verdict: .retry(at: F.t0), renderedPayload: nil,
            captured: ["order_id": "no"], now: F.t0)])
        #expect(try await store.call(id: "c1", accountID: account.id)?.captured == [:])
        let again = try await store.leaseDueDeliveries(limit: 10, now: F.t0, leaseUntil: F.t0.adding(seconds: 60), owner: "w")
        try await store.recordAttempts([AttemptResult(
            deliveryID: again[0].delivery.id, attempt: F.attempt(2, success: true), verdict: .delivered, renderedPayload: nil,
            captured: ["order_id": 123456789], now: F.t0)])
        #expect(try await store.call(id: "c1", accountID: account.id)?.captured == ["order_id": 123456789])

        // The end, leased by its own ingest, and a later update, leased by a worker, render with them.
        let offer = TestOffer(slots: 1, owner: "w", leaseUntil: F.t0.adding(seconds: 60), answered: TestAnswered())
        let end = try await store.ingest(
            IngestRequest(accountID: account.id, command: .endCall(callID: "c1", values: ["dialstatus": "ANSWER"]), idempotencyKey: nil, now: F.t0, leaseOffer: offer)
        ).leased
        #expect(end.count == 1 && end[0].webhook.id == webhook.id)
        #expect(end[0].values["order_id"] == 123456789)
        try await store.recordAttempts([AttemptResult(
            deliveryID: end[0].delivery.id, attempt: F.attempt(1, success: true), verdict: .delivered, renderedPayload: nil, now: F.t0)])
        _ = try await store.ingest(
            IngestRequest(accountID: account.id, command: .updateCall(callID: "c1", values: ["call_note": "callback"]), idempotencyKey: nil, now: F.t0))
        let update = try await store.leaseDueDeliveries(limit: 10, now: F.t0, leaseUntil: F.t0.adding(seconds: 60), owner: "w")
        #expect(update.count == 1 && update[0].delivery.eventKind == .callUpdated)
        #expect(update[0].values["order_id"] == 123456789)
    }

    @Test(arguments: StoreEngine.allCases)
    func aFrozenQueryAndHeadersAreSentUnchanged(engine: StoreEngine) async throws {
        let store = try await engine.makeStore()
        let account = try await F.account(store)
        _ = try await F.webhook(store, account: account)
        _ = try await F.begin(store, account: account, call: "c1")
        let first = try await store.leaseDueDeliveries(limit: 10, now: F.t0, leaseUntil: F.t0.adding(seconds: 60), owner: "w")
        let payload = RenderedPayload(body: [], contentType: nil, query: "id=c1&t=%D0%AF", headers: [
            HeaderField(name: "X-Call", value: "c1"), HeaderField(name: "X-Note", value: "\"q\" \\ e\u{301} \u{1}\t Я"),
        ])
        try await store.recordAttempts([AttemptResult(
            deliveryID: first[0].delivery.id, attempt: F.attempt(1, success: false), verdict: .retry(at: F.t0), renderedPayload: payload, now: F.t0)])
        let again = try await store.leaseDueDeliveries(limit: 10, now: F.t0, leaseUntil: F.t0.adding(seconds: 60), owner: "w")
        #expect(again.first?.payload == payload)
    }
}
