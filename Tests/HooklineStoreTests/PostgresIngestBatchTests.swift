import Testing
import HooklineCore
import PropertyBased

@testable import HooklineStore

/// What only PostgreSQL's ingest batches (`IngestLanes`) can get wrong, on batches made by hand:
/// an ingest sees what the batch's earlier ones wrote, though their deliveries are written together.
@Suite struct PostgresIngestBatchTests {
    typealias F = Fixtures

    func request(_ account: Account, _ command: IngestCommand, key: IdempotencyKey? = nil, offer: (any LeaseOffer)? = nil) -> IngestRequest {
        IngestRequest(accountID: account.id, command: command, idempotencyKey: key, now: F.t0, leaseOffer: offer)
    }

    @Test func aCallBegunAndEndedInOneBatchIsSentInOrder() async throws {
        let store = try #require(try await StoreEngine.postgres.makeStore() as? PostgresStore)
        let account = try await F.account(store)
        let webhook = try await F.webhook(store, account: account)
        let offer = TestOffer(slots: 10, owner: "w", leaseUntil: F.t0.adding(seconds: 60), answered: TestAnswered())
        let key = IdempotencyKey(key: "begin-x", fingerprint: "f")
        let outcomes = await store.ingest(batch: [
            request(account, .beginCall(callID: "x", values: ["callid": "x"]), key: key, offer: offer),
            request(account, .beginCall(callID: "y", values: ["callid": "y"]), offer: offer),
            request(account, .endCall(callID: "x", values: ["duration": 5]), offer: offer),
            request(account, .beginCall(callID: "x", values: ["callid": "x"]), key: key, offer: offer),
        ])
        let receipts = try outcomes.map { try $0.get().receipt }
        let leased = try outcomes.map { try $0.get().leased.map(\.delivery.id) }
        // The end waits behind the beginning, which went at once; the repeat is the first's receipt.
        #expect(leased[0] == receipts[0].deliveryIDs && leased[1] == receipts[1].deliveryIDs && leased[2].isEmpty)
        #expect(receipts[3] == receipts[0])
        let pending = try await store.deliveries(accountID: account.id, filter: DeliveryFilter(status: .pending), page: PageRequest(limit: 10)).items
        #expect(pending.count == 3 && pending.allSatisfy { $0.webhookID == webhook.id })
        let end = try #require(pending.first { $0.id == receipts[2].deliveryIDs.first })
        #expect(end.nextAttemptAt == nil)

        // The beginning's answer releases the end.
        let beginning = try #require(leased[0].first)
        let next = try await store.recordAttempts(
            [AttemptResult(deliveryID: beginning, attempt: F.attempt(1, success: true), verdict: .delivered, renderedPayload: nil, now: F.t0)],
            leasing: TestOffer(slots: 10, owner: "w", leaseUntil: F.t0.adding(seconds: 60), answered: TestAnswered()))
        #expect(next.map(\.delivery.id) == receipts[2].deliveryIDs)
        #expect(try await store.call(id: "x", accountID: account.id)?.endedAt != nil)
    }

    @Test func aRefusedIngestIsAnsweredAloneAndTheRestOfItsBatchLands() async throws {
        let store = try #require(try await StoreEngine.postgres.makeStore() as? PostgresStore)
        let account = try await F.account(store)
        _ = try await F.webhook(store, account: account, triggers: [.callBegin, .callEnd])
        let used = IdempotencyKey(key: "k", fingerprint: "first")
        let outcomes = await store.ingest(batch: [
            request(account, .beginCall(callID: "x", values: [:]), key: used),
            request(account, .beginCall(callID: "x", values: [:])),
            request(account, .endCall(callID: "nobody", values: [:])),
            request(account, .endCall(callID: "x", values: ["duration": 5])),
            request(account, .beginCall(callID: "y", values: [:]), key: IdempotencyKey(key: "k", fingerprint: "other")),
            request(account, .beginCall(callID: "z", values: [:])),
        ])
        // Each refusal is the one it would have had after the batch's earlier ingests.
        #expect(throws: StoreError.conflict("call x already exists")) { try outcomes[1].get() }
        #expect(throws: StoreError.notFound("call nobody not found")) { try outcomes[2].get() }
        #expect(throws: StoreError.idempotencyKeyReused("Idempotency-Key 'k' was already used with another request")) { try outcomes[4].get() }
        for index in [0, 3, 5] { #expect(try outcomes[index].get().receipt.deliveryIDs.count == 1) }
        #expect(try await store.call(id: "x", accountID: account.id)?.endedAt != nil)
        #expect(try await store.call(id: "y", accountID: account.id) == nil)
        #expect(try await store.call(id: "z", accountID: account.id) != nil)
        #expect(try await store.statistics(now: F.t0).pending == 3)
    }

    /// Consecutive beginnings go in with one statement (`PostgresStore.begin`): each still sees
    /// the calls before it, its refusal is its own, and each account's deliveries go to its own
    /// webhooks.
    @Test func beginningsInsertedTogetherAreAnsweredAsEachAlone() async throws {
        let store = try #require(try await StoreEngine.postgres.makeStore() as? PostgresStore)
        let (account, other) = (try await F.account(store, "A"), try await F.account(store, "B"))
        let (webhook, otherWebhook) = (try await F.webhook(store, account: account), try await F.webhook(store, account: other))
        _ = try await store.ingest(request(account, .beginCall(callID: "old", values: ["ani": "+7 999 000-70-01"])))
        let offer = TestOffer(slots: 20, owner: "w", leaseUntil: F.t0.adding(seconds: 60), answered: TestAnswered())
        func begin(_ account: Account, _ call: String, _ caller: String) -> IngestRequest {
            request(account, .beginCall(callID: call, values: ["callid": .string(call), "ani": .string(caller)]), offer: offer)
        }
        let outcomes = await store.ingest(batch: [
            begin(account, "a", "79990007001"), begin(account, "b", "79990007002"), begin(account, "c", "79990007002"),
            begin(other, "o", "79990007002"), begin(account, "old", "79990007003"), begin(account, "a", "79990007004"),
            begin(other, "p", "79990007005"),
        ])
        #expect(throws: StoreError.conflict("call old already exists")) { try outcomes[4].get() }
        #expect(throws: StoreError.conflict("call a already exists")) { try outcomes[5].get() }
        let landed = [0, 1, 2, 3, 6]
        for index in landed {
            let result = try outcomes[index].get()
            #expect(result.receipt.deliveryIDs.count == 1 && result.leased.map(\.delivery.id) == result.receipt.deliveryIDs)
        }
        // A caller called before when an earlier call has the number: stored, or earlier in the batch.
        let repeats = try landed.map { try outcomes[$0].get().leased.first?.values["repeat_caller"] }
        #expect(repeats == [1, 0, 1, 0, 0])
        #expect(try await store.call(id: "c", accountID: account.id)?.values["repeat_caller"] == 1)
        #expect(try await store.call(id: "a", accountID: account.id)?.values["ani"] == "79990007001")
        let pending = try await store.deliveries(accountID: account.id, filter: DeliveryFilter(status: .pending), page: PageRequest(limit: 10)).items
        let otherPending = try await store.deliveries(accountID: other.id, filter: DeliveryFilter(status: .pending), page: PageRequest(limit: 10)).items
        #expect(pending.count == 4 && pending.allSatisfy { $0.webhookID == webhook.id })
        #expect(otherPending.count == 2 && otherPending.allSatisfy { $0.webhookID == otherWebhook.id })
        #expect(try await store.call(id: "p", accountID: other.id) != nil)
    }

    /// One call's whole life with its beginning inserted in a run beside another call's, its end
    /// and a later update in the same batch, each with a source's idempotency key, and the
    /// source sending its beginning again: each goes in its order, as it came, the repeat is the
    /// beginning's answer, and its end replays.
    @Test func aCallBegunInARunLivesItsWholeLife() async throws {
        let store = try #require(try await StoreEngine.postgres.makeStore() as? PostgresStore)
        let account = try await F.account(store)
        _ = try await F.webhook(store, account: account, triggers: [.callBegin, .callEnd, .callUpdated])
        func keyed(_ name: String) -> IdempotencyKey { IdempotencyKey(key: "src-a-\(name)", fingerprint: name) }
        let beginning = request(account, .beginCall(callID: "a", values: ["callid": "a", "ani": "555"]), key: keyed("begin"))
        let outcomes = await store.ingest(batch: [
            beginning, request(account, .beginCall(callID: "b", values: ["callid": "b"])),
            request(account, .endCall(callID: "a", values: ["dialstatus": "ANSWER"]), key: keyed("end")),
            request(account, .updateCall(callID: "a", values: ["rec_audiourl": "https://rec/1.mp3"]), key: keyed("update")),
            beginning,
        ])
        let (begin, end, update) = (try outcomes[0].get().receipt, try outcomes[2].get().receipt, try outcomes[3].get().receipt)
        #expect(try outcomes[4].get().receipt == begin)
        // After the commit the keys answer from what was stored.
        #expect(try await store.ingest(request(account, .endCall(callID: "a", values: ["dialstatus": "ANSWER"]), key: keyed("end"))).receipt == end)
        #expect(end.version == 2 && update.version == 3 && update.changedFields == ["rec_audiourl"])
        var sent: [(EventKind, JSONObject)] = []
        for round in 0..<8 {
            let at = F.t0.adding(seconds: Double(round))
            for job in try await store.leaseDueDeliveries(limit: 10, now: at, leaseUntil: at.adding(seconds: 30), owner: "w") where job.delivery.subjectID == "a" {
                sent.append((job.delivery.eventKind, job.values))
                _ = try await store.recordAttempts([
                    AttemptResult(deliveryID: job.delivery.id, attempt: F.attempt(1, success: true, at: at), verdict: .delivered, renderedPayload: nil, leaseOwner: "w", now: at)
                ], leasing: nil)
            }
        }
        #expect(sent.map(\.0) == [.callBegin, .callEnd, .callUpdated])
        #expect(sent.first?.1["repeat_caller"] == 0 && sent.last?.1["rec_audiourl"] == "https://rec/1.mp3")
        let replayed = try #require(try await store.replayDelivery(id: end.deliveryIDs[0], accountID: account.id, now: F.t0.adding(seconds: 60)))
        #expect(replayed.status == .pending)
        let again = try await store.leaseDueDeliveries(limit: 10, now: F.t0.adding(seconds: 61), leaseUntil: F.t0.adding(seconds: 90), owner: "w")
            .filter { $0.delivery.subjectID == "a" }
        #expect(again.map(\.delivery.id) == end.deliveryIDs && again.first?.values["dialstatus"] == "ANSWER")
        let timeline = try await store.events(accountID: account.id, subject: .call, subjectID: "a", limit: 10)
        #expect(timeline.map(\.kind) == [.callBegin, .callEnd, .callUpdated] && timeline.map(\.version) == [1, 2, 3])
        #expect(begin.deliveryIDs.count == 1)
    }

    /// Beginnings share a statement across ends of other calls, but never go in before an end
    /// of their own call: that end is refused as it would be alone.
    @Test func anEndBetweenBeginningsSeesOnlyTheCallsBegunBeforeIt() async throws {
        let store = try #require(try await StoreEngine.postgres.makeStore() as? PostgresStore)
        let account = try await F.account(store)
        _ = try await F.webhook(store, account: account)
        let outcomes = await store.ingest(batch: [
            request(account, .beginCall(callID: "a", values: [:])), request(account, .endCall(callID: "a", values: ["duration": 5])),
            request(account, .endCall(callID: "b", values: ["duration": 5])), request(account, .beginCall(callID: "b", values: [:])),
            request(account, .beginCall(callID: "c", values: [:])),
        ])
        #expect(throws: StoreError.notFound("call b not found")) { try outcomes[2].get() }
        for index in [0, 1, 3, 4] { #expect(try outcomes[index].get().receipt.deliveryIDs.count == 1) }
        #expect(try await store.call(id: "a", accountID: account.id)?.endedAt != nil)
        #expect(try await store.call(id: "b", accountID: account.id)?.endedAt == nil)
    }

    /// Any batch of beginnings and ends, some of one call, some of one caller, some of a call
    /// that exists or was never begun, some with an idempotency key another of them has (for
    /// the same request or another): each is answered in the batch as it is alone, one after
    /// another.
    @Test func aBatchOfBeginningsAndEndsIsAnsweredAsEachOneByOne() async throws {
        let store = try #require(try await StoreEngine.postgres.makeStore() as? PostgresStore)
        let ingest = PropertyBased.zip(Gen.int(in: 0...12), Gen.int(in: 0...2), Gen.bool, Gen.int(in: 0...3), Gen.int(in: 0...4))
        await propertyCheck(count: 12, input: ingest.array(of: 2...14)) { ingests in
            do {
                let (together, alone) = (try await F.account(store, "together"), try await F.account(store, "alone"))
                for account in [together, alone] {
                    _ = try await F.webhook(store, account: account)
                    _ = try await store.ingest(request(account, .beginCall(callID: "c0", values: ["ani": "79990000000"])))
                }
                // One in four an end: of a call begun before it, begun later or never. Four in five
                // have one of four keys, whose fingerprint is the request's.
                func begins(_ account: Account) -> [IngestRequest] {
                    ingests.map { call, caller, hasNumber, kind, key in
                        let command: IngestCommand =
                            kind == 0
                            ? .endCall(callID: "c\(call)", values: ["duration": 5])
                            : .beginCall(callID: "c\(call)", values: hasNumber ? ["ani": .string("7999000000\(caller)")] : [:])
                        return request(account, command, key: key == 0 ? nil : IdempotencyKey(key: "k\(key)", fingerprint: "\(command)"))
                    }
                }
                let batched = await store.ingest(batch: begins(together))
                var oneByOne: [Result<IngestResult, any Error>] = []
                for request in begins(alone) {
                    do { oneByOne.append(.success(try await store.ingest(request))) } catch { oneByOne.append(.failure(error)) }
                }
                for (index, (inBatch, byItself)) in Swift.zip(batched, oneByOne).enumerated() {
                    switch (inBatch, byItself) {
                    case (.success(let first), .success(let second)):
                        let id = first.receipt.subjectID
                        #expect(first.receipt.kind == second.receipt.kind && first.receipt.deliveryIDs.count == second.receipt.deliveryIDs.count, "ingest \(index)")
                        let (a, b) = (try await store.call(id: id, accountID: together.id), try await store.call(id: id, accountID: alone.id))
                        #expect(a?.values["repeat_caller"] == b?.values["repeat_caller"], "ingest \(index) of \(ingests)")
                        #expect((a?.endedAt == nil) == (b?.endedAt == nil), "ingest \(index) of \(ingests)")
                        // A key's repeat is the answer of the same earlier ingest.
                        func answered(_ outcomes: [Result<IngestResult, any Error>], as receipt: IngestReceipt) -> Int? {
                            outcomes[..<index].firstIndex { (try? $0.get().receipt.eventID) == receipt.eventID }
                        }
                        #expect(answered(batched, as: first.receipt) == answered(oneByOne, as: second.receipt), "ingest \(index) of \(ingests)")
                    case (.failure(let first), .failure(let second)):
                        #expect(String(describing: first) == String(describing: second), "ingest \(index)")
                    default:
                        Issue.record("ingest \(index) of \(ingests): \(inBatch) in the batch, \(byItself) alone")
                    }
                }
            } catch {
                Issue.record(error)
            }
        }
    }
}
