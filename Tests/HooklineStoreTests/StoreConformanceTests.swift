import Testing
import HooklineCore
import HooklineStore

/// The behaviour every `Store` implementation must have. Runs once per engine.
@Suite struct StoreConformanceTests {
    typealias F = Fixtures

    // MARK: Accounts and settings

    @Test(arguments: StoreEngine.allCases)
    func accountsAreFoundByKeyDigestOnly(engine: StoreEngine) async throws {
        let store = try await engine.makeStore()
        let account = try await F.account(store)
        #expect(try await store.account(keyDigest: APIKey.digest("key-\(account.id)")) == account)
        #expect(try await store.account(keyDigest: APIKey.digest("wrong")) == nil)
        #expect(try await store.account(id: account.id) == account)
        #expect(try await store.account(id: "acc_missing") == nil)
        #expect(try await store.accounts() == [account])
    }

    @Test(arguments: StoreEngine.allCases)
    func aSettingIsWrittenOnce(engine: StoreEngine) async throws {
        let store = try await engine.makeStore()
        #expect(try await store.setting("k") == nil)
        #expect(try await store.insertSettingIfAbsent("k", value: "first") == "first")
        #expect(try await store.insertSettingIfAbsent("k", value: "second") == "first")
        #expect(try await store.setting("k") == "first")
    }

    /// A request whose task is cancelled (its client went away) while it leads a group commit must
    /// not fail the writes that share the commit; its own write is kept too.
    @Test(arguments: StoreEngine.allCases)
    func aCancelledCallerDoesNotFailTheWritesItSharesACommitWith(engine: StoreEngine) async throws {
        let store = try await engine.makeStore()
        let account = try await F.account(store)
        let failures = await F.failures(of: 20) { index in
            if index == 0 { withUnsafeCurrentTask { $0?.cancel() } }
            _ = try await F.begin(store, account: account, call: "c\(index)")
        }
        #expect(failures == 0)
        #expect(try await store.calls(accountID: account.id, page: PageRequest(limit: 50)).items.count == 20)
    }

    /// Writes that share a commit are rolled back one by one: a refused one leaves nothing behind
    /// (no event, no delivery) and the others are kept.
    @Test(arguments: StoreEngine.allCases)
    func aRefusedWriteIsUndoneAloneInTheCommitItShares(engine: StoreEngine) async throws {
        let store = try await engine.makeStore()
        let account = try await F.account(store)
        _ = try await F.webhook(store, account: account, triggers: [.callEnd])
        for index in 0..<10 { _ = try await F.begin(store, account: account, call: "c\(index)") }
        let refused = await F.failures(of: 20) { index in
            // Even calls end; odd ones begin again, which is refused once the row exists.
            if index.isMultiple(of: 2) {
                _ = try await F.end(store, account: account, call: "c\(index / 2)")
            } else {
                _ = try await F.begin(store, account: account, call: "c\(index / 2)")
            }
        }
        #expect(refused == 10)
        let deliveries = try await store.deliveries(accountID: account.id, filter: DeliveryFilter(), page: PageRequest(limit: 50)).items
        #expect(deliveries.count == 10 && deliveries.allSatisfy { $0.eventKind == .callEnd })
        #expect(try await store.calls(accountID: account.id, page: PageRequest(limit: 50)).items.count == 10)
    }

    // MARK: Webhooks

    @Test(arguments: StoreEngine.allCases)
    func webhooksAreKeptPerAccount(engine: StoreEngine) async throws {
        let store = try await engine.makeStore()
        let a = try await F.account(store, "A")
        let b = try await F.account(store, "B")
        var webhook = try await F.webhook(store, account: a)
        #expect(try await store.webhook(id: webhook.id, accountID: a.id) == webhook)
        #expect(try await store.webhook(id: webhook.id, accountID: b.id) == nil)
        #expect(try await store.webhooks(accountID: b.id).isEmpty)

        webhook.settings.name = "renamed"
        webhook.updatedAt = F.t0.adding(seconds: 1)
        try await store.updateWebhook(webhook)
        #expect(try await store.webhook(id: webhook.id, accountID: a.id)?.settings.name == "renamed")

        var stolen = webhook
        stolen.accountID = b.id
        await #expect(throws: StoreError.self) { try await store.updateWebhook(stolen) }
        #expect(try await store.deleteWebhook(id: webhook.id, accountID: b.id) == false)
        #expect(try await store.deleteWebhook(id: webhook.id, accountID: a.id) == true)
        #expect(try await store.webhooks(accountID: a.id).isEmpty)
    }

    // MARK: Ingest

    @Test(arguments: StoreEngine.allCases)
    func anEventCreatesOneDeliveryPerSubscribedEnabledWebhook(engine: StoreEngine) async throws {
        let store = try await engine.makeStore()
        let account = try await F.account(store)
        let both = try await F.webhook(store, account: account)
        let endOnly = try await F.webhook(store, account: account, triggers: [.callEnd])
        _ = try await F.webhook(store, account: account, enabled: false)
        _ = try await F.webhook(store, account: account, triggers: [.leadCreated])

        let begin = try await F.begin(store, account: account, call: "c1")
        #expect(begin.deliveryIDs.count == 1)
        let end = try await F.end(store, account: account, call: "c1")
        #expect(end.deliveryIDs.count == 2)

        let deliveries = try await store.deliveries(accountID: account.id, filter: DeliveryFilter(subjectID: "c1"), page: PageRequest())
        #expect(deliveries.items.map(\.webhookID).sorted() == [both.id, both.id, endOnly.id].sorted())
        #expect(deliveries.items.allSatisfy { $0.status == .pending })
        // The end to `both` waits for the begin to `both`; the end to `endOnly` has nothing to wait for.
        #expect(deliveries.items.filter { $0.nextAttemptAt == nil }.map(\.eventKind) == [.callEnd])
        #expect(deliveries.items.first { $0.webhookID == endOnly.id }?.nextAttemptAt == F.t0)
    }

    @Test(arguments: StoreEngine.allCases)
    func callsBeginOnceAndEndOnce(engine: StoreEngine) async throws {
        let store = try await engine.makeStore()
        let account = try await F.account(store)
        _ = try await F.webhook(store, account: account)
        _ = try await F.begin(store, account: account, call: "c1")
        await #expect(throws: StoreError.conflict("call c1 already exists")) { try await F.begin(store, account: account, call: "c1") }
        await #expect(throws: StoreError.notFound("call nope not found")) { try await F.end(store, account: account, call: "nope") }

        let first = try await F.end(store, account: account, call: "c1")
        let again = try await F.end(store, account: account, call: "c1", at: F.t0.adding(seconds: 5))
        #expect(again == first)
        let all = try await store.deliveries(accountID: account.id, filter: DeliveryFilter(), page: PageRequest())
        #expect(all.items.count == 2)

        let call = try #require(try await store.call(id: "c1", accountID: account.id))
        // Hookline computes repeat_caller, and stamps the start and end with the receive time, when
        // the source does not send them.
        let received = JSONValue.string(F.t0.iso8601)
        #expect(call.values == [
            "callid": "c1", "ani": "777", "call_start_time": received, "repeat_caller": 0, "dialstatus": "ANSWER", "answered_time": 29,
            "call_end_time": received,
        ])
        #expect(call.endedAt == F.t0)
    }

    @Test(arguments: StoreEngine.allCases)
    func anIdempotencyKeyReturnsTheFirstReceipt(engine: StoreEngine) async throws {
        let store = try await engine.makeStore()
        let account = try await F.account(store)
        _ = try await F.webhook(store, account: account)
        let key = IdempotencyKey(key: "k1", fingerprint: "f1")
        let first = try await F.begin(store, account: account, call: "c1", key: key)
        let again = try await F.begin(store, account: account, call: "c1", key: key)
        #expect(again == first)
        await #expect(throws: StoreError.self) {
            try await F.begin(store, account: account, call: "c2", key: IdempotencyKey(key: "k1", fingerprint: "other"))
        }
        #expect(try await store.call(id: "c2", accountID: account.id) == nil)
        #expect(try await store.deliveries(accountID: account.id, filter: DeliveryFilter(), page: PageRequest()).items.count == 1)
    }

    @Test(arguments: StoreEngine.allCases)
    func leadsAndTheirMessages(engine: StoreEngine) async throws {
        let store = try await engine.makeStore()
        let account = try await F.account(store)
        let other = try await F.account(store, "Other")
        _ = try await F.webhook(store, account: account, triggers: [.leadCreated, .leadMessage])
        let lead = try await store.ingest(
            IngestRequest(accountID: account.id, command: .createLead(leadID: "L1", values: ["lead_id": "L1", "lead_name": "Robert"]), idempotencyKey: nil, now: F.t0)).receipt
        #expect(lead.deliveryIDs.count == 1)
        let message = try await store.ingest(
            IngestRequest(accountID: account.id, command: .addMessage(leadID: "L1", messageID: "m1", values: ["message_title": "Duplicated lead"]), idempotencyKey: nil, now: F.t0)).receipt
        #expect(message.id == "m1")
        #expect(message.subjectID == "L1")
        await #expect(throws: StoreError.notFound("lead L1 not found")) {
            try await store.ingest(
                IngestRequest(accountID: other.id, command: .addMessage(leadID: "L1", messageID: "m2", values: [:]), idempotencyKey: nil, now: F.t0))
        }
        let stored = try #require(try await store.lead(id: "L1", accountID: account.id))
        #expect(stored.messageCount == 1)
        #expect(try await store.lead(id: "L1", accountID: other.id) == nil)

        // The message waits for its lead's delivery, then renders with what is known of the lead.
        let first = try await store.leaseDueDeliveries(limit: 10, now: F.t0, leaseUntil: F.t0.adding(seconds: 60), owner: "w")
        #expect(first.map(\.delivery.eventKind) == [.leadCreated])
        try await store.recordAttempts([AttemptResult(deliveryID: first[0].delivery.id, attempt: F.attempt(1, success: true), verdict: .delivered, renderedPayload: nil, now: F.t0)])
        let jobs = try await store.leaseDueDeliveries(limit: 10, now: F.t0, leaseUntil: F.t0.adding(seconds: 60), owner: "w")
        let messageJob = try #require(jobs.first { $0.delivery.eventKind == .leadMessage })
        #expect(messageJob.values["lead_name"] == "Robert")
        #expect(messageJob.values["message_title"] == "Duplicated lead")
    }

    @Test(arguments: StoreEngine.allCases)
    func listsPageNewestFirst(engine: StoreEngine) async throws {
        let store = try await engine.makeStore()
        let account = try await F.account(store)
        _ = try await F.webhook(store, account: account)
        for index in 0..<5 { _ = try await F.begin(store, account: account, call: "c\(index)", at: F.t0.adding(seconds: Double(index))) }
        let first = try await store.calls(accountID: account.id, page: PageRequest(limit: 2))
        #expect(first.items.map(\.id) == ["c4", "c3"])
        let second = try await store.calls(accountID: account.id, page: PageRequest(limit: 2, cursor: first.nextCursor))
        #expect(second.items.map(\.id) == ["c2", "c1"])
        let third = try await store.calls(accountID: account.id, page: PageRequest(limit: 2, cursor: second.nextCursor))
        #expect(third.items.map(\.id) == ["c0"])
        #expect(third.nextCursor == nil)

        var seen: [String] = []
        var cursor: String?
        repeat {
            let page = try await store.deliveries(accountID: account.id, filter: DeliveryFilter(), page: PageRequest(limit: 2, cursor: cursor))
            seen += page.items.map(\.subjectID)
            cursor = page.nextCursor
        } while cursor != nil
        #expect(seen == ["c4", "c3", "c2", "c1", "c0"])
    }

    // MARK: Leasing and recording

    @Test(arguments: StoreEngine.allCases)
    func aLeaseHidesADeliveryUntilItRunsOut(engine: StoreEngine) async throws {
        let store = try await engine.makeStore()
        let account = try await F.account(store)
        let webhook = try await F.webhook(store, account: account)
        _ = try await F.begin(store, account: account, call: "c1")

        #expect(try await store.leaseDueDeliveries(limit: 10, now: F.t0.adding(seconds: -1), leaseUntil: F.t0, owner: "w1").isEmpty)
        let jobs = try await store.leaseDueDeliveries(limit: 10, now: F.t0, leaseUntil: F.t0.adding(seconds: 60), owner: "w1")
        let job = try #require(jobs.first)
        #expect(jobs.count == 1)
        #expect(job.webhook == webhook)
        #expect(job.values["callid"] == "c1")
        #expect(job.payload == nil)
        #expect(try await store.leaseDueDeliveries(limit: 10, now: F.t0.adding(seconds: 59), leaseUntil: F.t0.adding(seconds: 120), owner: "w2").isEmpty)
        #expect(try await store.nextDueTime() == F.t0.adding(seconds: 60))

        // A crashed worker's lease runs out and another worker takes the delivery.
        let retaken = try await store.leaseDueDeliveries(limit: 10, now: F.t0.adding(seconds: 60), leaseUntil: F.t0.adding(seconds: 120), owner: "w2")
        #expect(retaken.map(\.delivery.id) == [job.delivery.id])
    }

    @Test(arguments: StoreEngine.allCases)
    func releasedLeasesAreDueAtOnce(engine: StoreEngine) async throws {
        let store = try await engine.makeStore()
        let account = try await F.account(store)
        _ = try await F.webhook(store, account: account)
        _ = try await F.begin(store, account: account, call: "c1")
        _ = try await store.leaseDueDeliveries(limit: 10, now: F.t0, leaseUntil: F.t0.adding(seconds: 60), owner: "w1")
        try await store.releaseLeases(owner: "w1", now: F.t0.adding(seconds: 1))
        #expect(try await store.leaseDueDeliveries(limit: 10, now: F.t0.adding(seconds: 1), leaseUntil: F.t0.adding(seconds: 60), owner: "w2").count == 1)
    }

    @Test(arguments: StoreEngine.allCases)
    func disabledWebhooksKeepTheirDeliveriesWaiting(engine: StoreEngine) async throws {
        let store = try await engine.makeStore()
        let account = try await F.account(store)
        var webhook = try await F.webhook(store, account: account)
        _ = try await F.begin(store, account: account, call: "c1")
        webhook.settings.enabled = false
        try await store.updateWebhook(webhook)
        #expect(try await store.leaseDueDeliveries(limit: 10, now: F.t0, leaseUntil: F.t0.adding(seconds: 60), owner: "w").isEmpty)
        #expect(try await store.nextDueTime() == nil)
        webhook.settings.enabled = true
        try await store.updateWebhook(webhook)
        #expect(try await store.leaseDueDeliveries(limit: 10, now: F.t0, leaseUntil: F.t0.adding(seconds: 60), owner: "w").count == 1)
    }

    @Test(arguments: StoreEngine.allCases)
    func attemptsMoveADeliveryToRetryThenDeliveredKeepingTheFirstPayload(engine: StoreEngine) async throws {
        let store = try await engine.makeStore()
        let account = try await F.account(store)
        _ = try await F.webhook(store, account: account)
        _ = try await F.begin(store, account: account, call: "c1")
        let job = try #require(try await store.leaseDueDeliveries(limit: 1, now: F.t0, leaseUntil: F.t0.adding(seconds: 60), owner: "w").first)
        let payload = RenderedPayload(body: Array(#"{"id":"c1"}"#.utf8), contentType: "application/json")
        try await store.recordAttempts([
            AttemptResult(deliveryID: job.delivery.id, attempt: F.attempt(1, success: false), verdict: .retry(at: F.t0.adding(seconds: 10)), renderedPayload: payload, now: F.t0)
        ])
        var delivery = try #require(try await store.delivery(id: job.delivery.id, accountID: account.id))
        #expect(delivery.status == .pending)
        #expect(delivery.attemptCount == 1)
        #expect(delivery.lastResponseStatus == 500)
        #expect(delivery.nextAttemptAt == F.t0.adding(seconds: 10))

        let retry = try #require(try await store.leaseDueDeliveries(limit: 1, now: F.t0.adding(seconds: 10), leaseUntil: F.t0.adding(seconds: 70), owner: "w").first)
        #expect(retry.payload == payload)
        #expect(retry.scheduleAttempts == 1)
        #expect(retry.delivery.attemptCount == 1)
        let otherPayload = RenderedPayload(body: Array("changed".utf8), contentType: "text/plain")
        try await store.recordAttempts([
            AttemptResult(deliveryID: job.delivery.id, attempt: F.attempt(2, success: true), verdict: .delivered, renderedPayload: otherPayload, now: F.t0.adding(seconds: 10))
        ])
        delivery = try #require(try await store.delivery(id: job.delivery.id, accountID: account.id))
        #expect(delivery.status == .delivered)
        #expect(delivery.attemptCount == 2)
        #expect(delivery.lastError == nil)
        let attempts = try await store.attempts(deliveryID: job.delivery.id)
        #expect(attempts.map(\.number) == [1, 2])
        #expect(attempts == [F.attempt(1, success: false), F.attempt(2, success: true)].enumerated().map { index, attempt in
            var copy = attempt
            copy.number = index + 1
            return copy
        })

        // A late duplicate failure never undoes a delivery.
        try await store.recordAttempts([
            AttemptResult(deliveryID: job.delivery.id, attempt: F.attempt(3, success: false), verdict: .retry(at: F.t0.adding(seconds: 99)), renderedPayload: nil, now: F.t0.adding(seconds: 11))
        ])
        #expect(try await store.delivery(id: job.delivery.id, accountID: account.id)?.status == .delivered)
        #expect(try await store.nextDueTime() == nil)
    }

    @Test(arguments: StoreEngine.allCases)
    func aDeadDeliveryCanBeReplayedWithAFreshSchedule(engine: StoreEngine) async throws {
        let store = try await engine.makeStore()
        let account = try await F.account(store)
        let other = try await F.account(store, "Other")
        _ = try await F.webhook(store, account: account)
        _ = try await F.begin(store, account: account, call: "c1")
        let job = try #require(try await store.leaseDueDeliveries(limit: 1, now: F.t0, leaseUntil: F.t0.adding(seconds: 60), owner: "w").first)
        try await store.recordAttempts([AttemptResult(deliveryID: job.delivery.id, attempt: F.attempt(1, success: false), verdict: .dead, renderedPayload: nil, now: F.t0)])
        #expect(try await store.delivery(id: job.delivery.id, accountID: account.id)?.status == .dead)
        #expect(try await store.deliveries(accountID: account.id, filter: DeliveryFilter(status: .dead), page: PageRequest()).items.count == 1)

        #expect(try await store.replayDelivery(id: job.delivery.id, accountID: other.id, now: F.t0) == nil)
        let later = F.t0.adding(seconds: 500)
        let replayed = try #require(try await store.replayDelivery(id: job.delivery.id, accountID: account.id, now: later))
        #expect(replayed.status == .pending)
        #expect(replayed.nextAttemptAt == later)
        let again = try #require(try await store.leaseDueDeliveries(limit: 1, now: later, leaseUntil: later.adding(seconds: 60), owner: "w").first)
        #expect(again.scheduleAttempts == 0)
        #expect(again.scheduleStartedAt == later)
    }

    @Test(arguments: StoreEngine.allCases)
    func deletingAWebhookDeletesItsDeliveries(engine: StoreEngine) async throws {
        let store = try await engine.makeStore()
        let account = try await F.account(store)
        let webhook = try await F.webhook(store, account: account)
        _ = try await F.begin(store, account: account, call: "c1")
        let job = try #require(try await store.leaseDueDeliveries(limit: 1, now: F.t0, leaseUntil: F.t0.adding(seconds: 60), owner: "w").first)
        #expect(try await store.deleteWebhook(id: webhook.id, accountID: account.id))
        // An attempt in flight when its webhook went away is dropped quietly.
        try await store.recordAttempts([AttemptResult(deliveryID: job.delivery.id, attempt: F.attempt(1, success: true), verdict: .delivered, renderedPayload: nil, now: F.t0)])
        #expect(try await store.delivery(id: job.delivery.id, accountID: account.id) == nil)
        #expect(try await store.attempts(deliveryID: job.delivery.id).isEmpty)
    }
}
