import HooklineCore
import HooklineStore
import Testing

/// A call keeps changing after it ends: updates, a source's later report, conversions, and the
/// versions and timeline they leave. The same behaviour from every engine.
@Suite struct LaterDataConformanceTests {
    typealias F = Fixtures
    static let every: [EventKind] = [.callBegin, .callEnd, .callUpdated, .callConverted]

    static func ingest(_ store: any Store, _ account: Account, _ command: IngestCommand, at seconds: Double, key: String? = nil) async throws -> IngestReceipt {
        try await store.ingest(
            IngestRequest(
                accountID: account.id, command: command, idempotencyKey: key.map { IdempotencyKey(key: $0, fingerprint: "\(command)") },
                now: F.t0.adding(seconds: seconds))
        ).receipt
    }

    /// A source that reports a call's beginning, end and recording at once: one millisecond, in
    /// which the events' ids are random, and the timeline still in the order they happened.
    @Test(arguments: StoreEngine.allCases)
    func aCallsEventsInOneMillisecondKeepTheirOrderInItsTimeline(engine: StoreEngine) async throws {
        let store = try await engine.makeStore()
        let account = try await F.account(store)
        _ = try await F.webhook(store, account: account, triggers: Self.every)
        for call in 0..<8 {
            _ = try await Self.ingest(store, account, .beginCall(callID: "c\(call)", values: ["callid": .string("c\(call)")]), at: 0)
            _ = try await Self.ingest(store, account, .endCall(callID: "c\(call)", values: ["dialstatus": "ANSWER"]), at: 0)
            _ = try await Self.ingest(store, account, .updateCall(callID: "c\(call)", values: ["rec_audiourl": "https://rec/1.mp3"]), at: 0)
            let timeline = try await store.events(accountID: account.id, subject: .call, subjectID: "c\(call)", limit: 10)
            #expect(timeline.map(\.kind) == [.callBegin, .callEnd, .callUpdated] && timeline.map(\.version) == [1, 2, 3], "call \(call)")
        }
    }

    @Test(arguments: StoreEngine.allCases)
    func oneCallsWholeLifeIsFourVersionsEachRenderedAsItWas(engine: StoreEngine) async throws {
        let store = try await engine.makeStore()
        let account = try await F.account(store)
        let webhook = try await F.webhook(store, account: account, triggers: Self.every, body: #"{"id": "%callid%", "link": "%rec_audiourl%"}"#)
        let begin = try await Self.ingest(store, account, .beginCall(callID: "c1", values: ["callid": "c1", "ani": "555", "ani_full_name": "Fred"]), at: 0)
        let end = try await Self.ingest(store, account, .endCall(callID: "c1", values: ["dialstatus": "ANSWER", "ani_full_name": "Freddy"]), at: 30)
        #expect(begin.version == 1 && end.version == 2)
        // The end changed a field known since the beginning; what it reports for the first time is no change.
        #expect(end.changedFields == ["ani_full_name"])

        let update = try await Self.ingest(store, account, .updateCall(callID: "c1", values: ["rec_audiourl": "https://rec/1.mp3"]), at: 200, key: "u1")
        #expect(update.kind == .callUpdated && update.changedFields == ["rec_audiourl"] && update.version == 3 && update.deliveryIDs.count == 1)
        // The same update with its key is the same event; without it, it changes nothing and fires nothing.
        #expect(try await Self.ingest(store, account, .updateCall(callID: "c1", values: ["rec_audiourl": "https://rec/1.mp3"]), at: 201, key: "u1") == update)
        let again = try await Self.ingest(store, account, .updateCall(callID: "c1", values: ["rec_audiourl": "https://rec/1.mp3"]), at: 202)
        #expect(again.eventID == nil && again.deliveryIDs.isEmpty && again.changedFields == [] && again.version == 3)

        let conversion = try await Self.ingest(
            store, account, .convertCall(callID: "c1", conversionID: "sale-1", values: ["conversion_id": "sale-1", "conversion_value": 120.5]), at: 300)
        #expect(conversion.kind == .callConverted && conversion.version == 4 && conversion.id == "sale-1" && conversion.deliveryIDs.count == 1)
        await #expect(throws: StoreError.self) {
            try await Self.ingest(store, account, .convertCall(callID: "c1", conversionID: "sale-1", values: ["conversion_id": "sale-1"]), at: 301)
        }

        let call = try #require(try await store.call(id: "c1", accountID: account.id))
        #expect(call.version == 4 && call.values["rec_audiourl"] == "https://rec/1.mp3" && call.values["conversion_value"] == 120.5)
        #expect(call.values["ani_full_name"] == "Freddy" && call.beginValues["ani_full_name"] == "Fred")

        let timeline = try await store.events(accountID: account.id, subject: .call, subjectID: "c1", limit: 10)
        #expect(timeline.map(\.kind) == [.callBegin, .callEnd, .callUpdated, .callConverted] && timeline.map(\.version) == [1, 2, 3, 4])
        #expect(timeline[2].changes.map(\.name) == ["rec_audiourl"] && timeline[2].changes.first?.from == .null)
        #expect(try await store.events(accountID: account.id, subject: .lead, subjectID: "c1", limit: 10).isEmpty)

        // Each delivery renders its event's version: the end without the recording, the update with it.
        let deliveries = try await store.deliveries(accountID: account.id, filter: DeliveryFilter(webhookID: webhook.id), page: PageRequest()).items
        #expect(Set(deliveries.compactMap(\.subjectVersion)) == [1, 2, 3, 4])
        var rendered: [EventKind: JSONObject] = [:]
        for round in 0..<8 where rendered.count < 4 {
            let now = F.t0.adding(seconds: 400 + Double(round))
            for job in try await store.leaseDueDeliveries(limit: 10, now: now, leaseUntil: now.adding(seconds: 30), owner: "w") {
                rendered[job.delivery.eventKind] = job.values
                try await store.recordAttempts([AttemptResult(deliveryID: job.delivery.id, attempt: F.attempt(1, success: true, at: now), verdict: .delivered, renderedPayload: nil, leaseOwner: "w", now: now)])
            }
        }
        #expect(rendered[.callEnd]?["rec_audiourl"] == nil && rendered[.callEnd]?["ani_full_name"] == "Freddy")
        #expect(rendered[.callUpdated]?["rec_audiourl"] == "https://rec/1.mp3" && rendered[.callUpdated]?["changed_fields"] == ["rec_audiourl"])
        #expect(rendered[.callUpdated]?["previous_values"] == ["rec_audiourl": nil])
        #expect(rendered[.callConverted]?["conversion_value"] == 120.5 && rendered[.callConverted]?["rec_audiourl"] == "https://rec/1.mp3")
    }

    @Test(arguments: StoreEngine.allCases)
    func theNewestReportOfATokenWinsWhicheverPartReportedIt(engine: StoreEngine) async throws {
        let store = try await engine.makeStore()
        let account = try await F.account(store)
        _ = try await Self.ingest(store, account, .beginCall(callID: "c1", values: ["callid": "c1"]), at: 0)
        _ = try await Self.ingest(store, account, .updateCall(callID: "c1", values: ["call_note": "during"]), at: 5)
        let end = try await Self.ingest(store, account, .endCall(callID: "c1", values: ["call_note": "at the end"]), at: 10)
        #expect(end.changedFields == ["call_note"])
        #expect(try await store.call(id: "c1", accountID: account.id)?.values["call_note"] == "at the end")
        _ = try await Self.ingest(store, account, .updateCall(callID: "c1", values: ["call_note": "after"]), at: 20)
        #expect(try await store.call(id: "c1", accountID: account.id)?.values["call_note"] == "after")
        await #expect(throws: StoreError.self) { try await Self.ingest(store, account, .updateCall(callID: "nope", values: ["call_note": "x"]), at: 30) }
    }

    @Test(arguments: StoreEngine.allCases)
    func aSourcesLaterReportOfAnEndedCallIsAnUpdate(engine: StoreEngine) async throws {
        let store = try await engine.makeStore()
        let account = try await F.account(store)
        _ = try await F.webhook(store, account: account, triggers: Self.every)
        _ = try await Self.ingest(store, account, .beginCall(callID: "c1", values: ["callid": "c1"]), at: 0)
        let end = try await Self.ingest(store, account, .endCall(callID: "c1", values: ["dialstatus": "ANSWER"], laterAsUpdate: true), at: 10)
        #expect(end.kind == .callEnd)
        let later = try await Self.ingest(store, account, .endCall(callID: "c1", values: ["dialstatus": "ANSWER", "rec_audiourl": "https://r"], laterAsUpdate: true), at: 200)
        #expect(later.kind == .callUpdated && later.changedFields == ["rec_audiourl"] && later.deliveryIDs.count == 1)
        // Through the API, an end reported twice answers as the first time.
        let repeated = try await Self.ingest(store, account, .endCall(callID: "c1", values: ["dialstatus": "BUSY"]), at: 300)
        #expect(repeated == end)
    }

    @Test(arguments: StoreEngine.allCases)
    func aLeadUpdateFiresOnlyWhenSomethingChanged(engine: StoreEngine) async throws {
        let store = try await engine.makeStore()
        let account = try await F.account(store)
        _ = try await F.webhook(store, account: account, triggers: [.leadCreated, .leadUpdated, .leadMessage])
        _ = try await Self.ingest(store, account, .createLead(leadID: "l1", values: ["lead_id": "l1", "lead_name": "Rob"]), at: 0)
        _ = try await Self.ingest(store, account, .addMessage(leadID: "l1", messageID: "m1", values: ["message_text": "hi"]), at: 1)
        let update = try await Self.ingest(store, account, .updateLead(leadID: "l1", values: ["lead_name": "Robert", "lead_email": "r@x"]), at: 2)
        #expect(update.kind == .leadUpdated && update.changedFields == ["lead_name", "lead_email"] && update.version == 3 && update.deliveryIDs.count == 1)
        #expect(try await Self.ingest(store, account, .updateLead(leadID: "l1", values: ["lead_name": "Robert"]), at: 3).eventID == nil)
        let lead = try #require(try await store.lead(id: "l1", accountID: account.id))
        #expect(lead.version == 3 && lead.values["lead_name"] == "Robert" && lead.messageCount == 1)
        #expect(try await store.events(accountID: account.id, subject: .lead, subjectID: "l1", limit: 10).map(\.kind) == [.leadCreated, .leadMessage, .leadUpdated])
    }

    @Test(arguments: StoreEngine.allCases)
    func aConversionFindsTheCallersLatestCallInItsWindow(engine: StoreEngine) async throws {
        let store = try await engine.makeStore()
        let account = try await F.account(store)
        let other = try await F.account(store, "Other")
        for (id, at, ani) in [("a", 0.0, "+1 555 0100"), ("b", 100, "15550100"), ("c", 200, "1-555-0100"), ("d", 150, "15550199")] {
            _ = try await Self.ingest(store, account, .beginCall(callID: id, values: ["callid": .string(id), "ani": .string(ani)]), at: at)
        }
        _ = try await Self.ingest(store, other, .beginCall(callID: "x", values: ["callid": "x", "ani": "15550100"]), at: 120)
        let window = ConversionMatch(caller: "15550100", from: F.t0, to: F.t0.adding(seconds: 150))
        let candidates = try await store.conversionCandidates(accountID: account.id, match: window)
        #expect(ConversionMatch.pick(candidates) == .call("b"))
        #expect(ConversionMatch.pick(try await store.conversionCandidates(accountID: account.id, match: ConversionMatch(caller: "15550100", from: F.t0.adding(seconds: 300), to: F.t0.adding(seconds: 400)))) == .none)
        _ = try await Self.ingest(store, account, .beginCall(callID: "b2", values: ["callid": "b2", "ani": "15550100"]), at: 100)
        #expect(ConversionMatch.pick(try await store.conversionCandidates(accountID: account.id, match: window)) == .ambiguous(["b", "b2"]))
    }

    @Test(arguments: StoreEngine.allCases)
    func updatesFromTwoWritersAtOnceEachApplyToWhatTheOtherLeft(engine: StoreEngine) async throws {
        let (first, second) = try await engine.makeTwoStores()
        let account = try await F.account(first)
        _ = try await Self.ingest(first, account, .beginCall(callID: "c1", values: ["callid": "c1"]), at: 0)
        let fields = ["call_note", "transcript", "rec_audiourl", "rec_audiowavurl", "call_score", "call_value"]
        let values: [String: JSONValue] = ["call_note": "n", "transcript": "t", "rec_audiourl": "u", "rec_audiowavurl": "w", "call_score": 7, "call_value": 1.5]
        let failed = await F.failures(of: fields.count) { index in
            let store = index.isMultiple(of: 2) ? first : second
            _ = try await Self.ingest(store, account, .updateCall(callID: "c1", values: [fields[index]: values[fields[index]]!]), at: Double(index + 1))
        }
        #expect(failed == 0)
        let call = try #require(try await first.call(id: "c1", accountID: account.id))
        #expect(call.version == 1 + fields.count && fields.allSatisfy { call.values[$0] == values[$0] })
        #expect(Set(try await second.events(accountID: account.id, subject: .call, subjectID: "c1", limit: 20).compactMap(\.version)) == Set(1...(1 + fields.count)))
    }
}
