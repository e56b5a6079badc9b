import HooklineCore
import Testing

/// What later data does, without a database: what an update changed, which part of a call wins,
/// which call a conversion belongs to, what a hold waits for, and what each preset sends of it.
@Suite struct LaterDataRulesTests {
    static let t0 = Timestamp(millisecondsSince1970: 1_700_000_000_000)

    @Test func anUpdateSaysWhatChangedAndWhatItWas() {
        let change = SubjectChange(known: ["a": 1, "b": "x", "c": nil], given: ["b": "y", "a": 1, "c": nil, "d": "new"])
        #expect(change.changedFields == ["b", "d"] && change.previous == ["b": "x", "d": nil])
        let annotated = change.annotating(["b": "y"])
        #expect(annotated["changed_fields"] == ["b", "d"] && annotated["previous_values"] == ["b": "x", "d": nil])
        #expect(SubjectChange(known: ["a": 1], given: ["a": 1]).isEmpty)
        // At the end, only what was known before counts as a change.
        #expect(SubjectChange(known: ["a": 1], given: ["a": 2, "dialstatus": "ANSWER"], knownOnly: true).changedFields == ["a"])
    }

    @Test func theNewestReportOfATokenWinsWhicheverPartReportedIt() throws {
        let begun = CallValues(begin: ["callid": "c1", "call_note": "begin"], end: nil, later: [:])
        let during = try #require(begun.updating(with: ["call_note": "during"], received: Self.t0))
        #expect(during.values.current["call_note"] == "during" && during.event["updated_at"] == .string(Self.t0.iso8601))
        let ended = during.values.ending(with: ["call_note": "end", "dialstatus": "ANSWER"])
        #expect(ended.values.current["call_note"] == "end" && ended.values.later["call_note"] == nil && ended.change.changedFields == ["call_note"])
        #expect(ended.event["previous_values"] == ["call_note": "during"])
        let after = try #require(ended.values.updating(with: ["call_note": "after"], received: Self.t0))
        #expect(after.values.current["call_note"] == "after" && after.values.begin["call_note"] == "begin")
        #expect(after.values.updating(with: ["call_note": "after"], received: Self.t0) == nil, "nothing changed, nothing fires")
        let converted = after.values.converting(with: ["conversion_value": 10.5], received: Self.t0)
        #expect(converted.event["conversion_value"] == 10.5 && converted.event["converted_at"] == .string(Self.t0.iso8601))
        #expect(converted.values.current["call_note"] == "after")
    }

    @Test func aLeadUpdateChangesOnlyWhatDiffers() throws {
        let lead: JSONObject = ["lead_id": "l1", "lead_name": "Rob"]
        let updated = try #require(lead.updatingLead(with: ["lead_name": "Robert"], received: Self.t0))
        #expect(updated.values["lead_name"] == "Robert" && updated.change.changedFields == ["lead_name"] && updated.event["updated_at"] != nil)
        #expect(lead.updatingLead(with: ["lead_name": "Rob"], received: Self.t0) == nil)
    }

    @Test func aConversionGoesToTheCallersLatestCallOrSaysItCannotTell() {
        let candidate = { (id: String, seconds: Double) in ConversionMatch.Candidate(callID: id, startedAt: Self.t0.adding(seconds: seconds)) }
        #expect(ConversionMatch.pick([]) == .none)
        #expect(ConversionMatch.pick([candidate("a", 10), candidate("b", 5)]) == .call("a"))
        #expect(ConversionMatch.pick([candidate("b", 10), candidate("a", 10)]) == .ambiguous(["a", "b"]))
    }

    @Test func aHoldWaitsForUnknownTokensUntilItsTime() {
        let rule = HoldRule(until: ["rec_audiourl", "transcript"], maxSeconds: 900)
        #expect(rule.missing(in: ["rec_audiourl": "", "transcript": nil]) == ["rec_audiourl", "transcript"])
        #expect(rule.missing(in: ["rec_audiourl": "https://r", "transcript": "hi"]).isEmpty)
        #expect(DeliveryHold.start(rule, kind: .callEnd, values: [:], now: Self.t0) == Self.t0.adding(seconds: 900))
        #expect(DeliveryHold.start(rule, kind: .callBegin, values: [:], now: Self.t0) == nil, "only the end of a call is held")
        #expect(DeliveryHold.start(rule, kind: .callEnd, values: ["rec_audiourl": "u", "transcript": "t"], now: Self.t0) == nil)
        #expect(DeliveryHold.start(nil, kind: .callEnd, values: [:], now: Self.t0) == nil)
        let until = Self.t0.adding(seconds: 900)
        #expect(!DeliveryHold.releases(waitingFor: ["rec_audiourl"], heldUntil: until, values: [:], now: Self.t0))
        #expect(DeliveryHold.releases(waitingFor: ["rec_audiourl"], heldUntil: until, values: ["rec_audiourl": "u"], now: Self.t0))
        #expect(DeliveryHold.releases(waitingFor: ["rec_audiourl"], heldUntil: until, values: [:], now: until))
        #expect(DeliveryHold.releasedValues(event: ["dialstatus": "ANSWER", "changed_fields": []], call: ["rec_audiourl": "u"]) == ["dialstatus": "ANSWER", "changed_fields": [], "rec_audiourl": "u"])
        #expect(DeliveryHold.nextAttemptAt(waitsBehindEarlier: true, now: Self.t0) == nil && DeliveryHold.nextAttemptAt(waitsBehindEarlier: false, now: Self.t0) == Self.t0)
        #expect(DeliveryStatus(stored: "pending", heldUntil: until) == .held && DeliveryStatus(stored: "pending", heldUntil: nil) == .pending)
        #expect(DeliveryStatus(stored: "held", heldUntil: nil) == nil)
    }

    @Test func eachPresetSaysWhatItSendsOfLaterEvents() throws {
        #expect(Preset.roistatCall.supportedTriggers == [.callBegin, .callEnd, .callUpdated] && Preset.roistatCall.triggers == [.callBegin, .callEnd])
        #expect(Preset.envybox.supportedTriggers.contains(.callUpdated) && !Preset.envybox.supportedTriggers.contains(.callConverted))
        #expect(Preset.all.allSatisfy { !$0.supportedTriggers.contains(.callConverted) && !$0.supportedTriggers.contains(.leadUpdated) })
        // Roistat's after-call webhook again, whole, with its link once the recording exists.
        var values = try PresetGoldenTests.roistatCall(.callEnd)
        values["rec_audiourl"] = "https://rec.example/313.mp3"
        let end = try PresetGoldenTests.render("roistat.call", .callEnd, values)
        let updated = try PresetGoldenTests.render("roistat.call", .callUpdated, values)
        #expect(updated.body == end.body && String(decoding: updated.body, as: UTF8.self).contains("\"link\":\"https://rec.example/313.mp3\""))
        let envybox = try PresetGoldenTests.render("envybox", .callUpdated, values)
        #expect(String(decoding: envybox.body, as: UTF8.self).contains("webhooktype=2") && String(decoding: envybox.body, as: UTF8.self).contains("call_record=https%3A%2F%2Frec.example%2F313.mp3"))
    }

    @Test func laterEventsTakeTheirOwnTokensOnly() throws {
        let validator = TokenValidator()
        #expect(try validator.validate(["transcript": "hi", "call_score": 90, "rec_audiourl": "u"], for: .callUpdated).count == 3)
        #expect(throws: FieldError.self) { try validator.validate(["changed_fields": ["x"]], for: .callUpdated) }
        #expect(throws: FieldError.self) { try validator.validate(["call_score": 101], for: .callUpdated) }
        #expect(throws: FieldError.self) { try validator.validate(["transcript": "x"], for: .callConverted) }
        #expect(try validator.validate(["conversion_value": 5, "converted_at": "2026-01-01T00:00:00Z"], for: .callConverted)["conversion_value"] == 5.0)
        #expect(throws: FieldError.self) { try validator.validate(["transcript": "x"], for: .leadUpdated) }
    }
}
