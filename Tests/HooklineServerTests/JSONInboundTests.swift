import HooklineCore
@testable import HooklineServer
import Testing

/// A `json` source: rules built from an example of a tracker's payload, then payloads read by them.
@Suite struct JSONInboundTests {
    static let example = """
        {"event": "call_started", "call": {"id": 9001, "from": "+1 555 0100", "to": "+1 555 0199", "seconds": 35, "status": "ANSWER"},
         "agent": {"name": "Anna", "ext": "101"}, "tags": ["vip", "repeat"]}
        """

    static let options: JSONObject = [
        "example": .string(example),
        "mapping": ["$.call.from": "ani", "$.call.to": "tracking", "$.call.seconds": "answered_time", "$.call.status": "dialstatus"],
        "id_path": "$.call.id",
        "event_path": "$.event",
        "events": ["call_started": "call.begin", "call_ended": "call.end", "form": "lead.created"],
    ]

    static func post(_ text: String) -> InboundRequest {
        InboundRequest(method: "POST", query: [], contentType: "application/json", body: Array(text.utf8))
    }

    static func refusal(_ text: String, options: JSONObject = options) -> FieldError? {
        do {
            _ = try Inbound.events(post(text), kind: .json, options: options)
            return nil
        } catch {
            guard case .unreadable(let field) = error else { return nil }
            return field
        }
    }

    @Test func aBeginLandsOnItsTokensAndKeepsEveryUnmappedField() throws {
        let events = try Inbound.events(Self.post(Self.example), kind: .json, options: Self.options)
        #expect(events.map(\.kind) == [.callBegin] && events[0].subjectID == "9001")
        // A begin takes the begin's tokens; the end's (answered_time, dialstatus) wait for the end.
        #expect(events[0].values["ani"] == "+1 555 0100" && events[0].values["tracking"] == "+1 555 0199")
        #expect(events[0].values["answered_time"] == nil && events[0].values["dialstatus"] == nil)
        #expect(events[0].values["source_fields"] == ["agent": ["name": "Anna", "ext": "101"], "tags": ["vip", "repeat"]])
    }

    @Test func anEndBeginsTheCallFirstAndTypesTextAsItsTokensSay() throws {
        let payload = #"{"event": "call_ended", "call": {"id": "abc-1", "from": "100", "seconds": "35", "status": "NOANSWER"}, "extra": {"queue": 3}}"#
        let events = try Inbound.events(Self.post(payload), kind: .json, options: Self.options)
        #expect(events.map(\.kind) == [.callBegin, .callEnd] && events.allSatisfy { $0.subjectID == "abc-1" })
        #expect(events[1].values["answered_time"] == 35 && events[1].values["dialstatus"] == "NOANSWER" && events[1].values["ani"] == "100")
        #expect(events[1].values["source_fields"] == ["extra": ["queue": 3]])
        #expect(events[0].values["source_fields"] == nil, "kept once, on the event the payload is")
    }

    @Test func otherValuesFollowTheStarRuleAndWithoutAnEventPathEveryPayloadIsOneKind() throws {
        var options = Self.options
        options["events"] = ["call_started": "call.begin", "*": "call.end"]
        let ended = try Inbound.events(Self.post(#"{"event": "hangup", "call": {"id": 1}}"#), kind: .json, options: options)
        #expect(ended.map(\.kind) == [.callBegin, .callEnd])

        options["event_path"] = nil
        options["events"] = ["*": "lead.created"]
        options["mapping"] = ["$.call.from": "lead_phone"]
        let lead = try Inbound.events(Self.post(#"{"call": {"id": 7, "from": "555"}}"#), kind: .json, options: InboundSource.readOptions(.object(options), kind: .json))
        #expect(lead.map(\.kind) == [.leadCreated] && lead[0].subjectID == "7" && lead[0].values["lead_phone"] == "555")
    }

    @Test func aPayloadItCannotReadIsRefusedNamingThePath() {
        #expect(Self.refusal(#"{"event": "transfer", "call": {"id": 1}}"#)?.field == "$.event")
        #expect(Self.refusal(#"{"event": "transfer", "call": {"id": 1}}"#)?.message.contains("'call_ended'") == true)
        #expect(Self.refusal(#"{"call": {"id": 1}}"#)?.field == "$.event")
        #expect(Self.refusal(#"{"event": "call_started", "call": {"from": "1"}}"#)?.field == "$.call.id")
        #expect(Self.refusal(#"{"event": "call_started", "call": {"id": ""}}"#)?.field == "$.call.id")
        #expect(Self.refusal(#"{"event": "call_ended", "call": {"id": 1, "seconds": "long"}}"#)?.field == "$.call.seconds")
        #expect(Self.refusal(#"{"event": "call_ended", "call": {"id": 1, "status": "MAYBE"}}"#)?.field == "$.call.status")
        #expect(Self.refusal("[1, 2]")?.field == "body")
        #expect(Self.refusal("{nope")?.field == "body")
    }

    @Test func rulesAreCheckedAgainstTheExampleAndNameTheOptionAtFault() {
        func failure(_ change: (inout JSONObject) -> Void) -> String? {
            var options = Self.options
            change(&options)
            do {
                _ = try InboundSource.readOptions(.object(options), kind: .json)
                return nil
            } catch {
                return error.field
            }
        }
        #expect(failure { _ in } == nil)
        #expect(failure { $0["example"] = nil } == "options.example")
        #expect(failure { $0["example"] = "{\"a\": " } == "options.example")
        #expect(failure { $0["example"] = "[1]" } == "options.example")
        #expect(failure { $0["mapping"] = ["$.call.nope": "ani"] } == "options.mapping.$.call.nope")
        #expect(failure { $0["mapping"] = ["$.call.from": "no_such_token"] } == "options.mapping.$.call.from")
        #expect(failure { $0["mapping"] = ["$.call.from": "ani", "$.call.to": "ani"] } == "options.mapping.$.call.to")
        #expect(failure { $0["mapping"] = ["$.call.from": "source_fields"] } == "options.mapping.$.call.from")
        #expect(failure { $0["mapping"] = ["not a path": "ani"] } == "options.mapping.not a path")
        #expect(failure { $0["id_path"] = nil } == "options.id_path")
        #expect(failure { $0["id_path"] = "$.agent" } == "options.id_path")
        #expect(failure { $0["event_path"] = "$.missing" } == "options.event_path")
        #expect(failure { $0["events"] = [:] } == "options.events")
        #expect(failure { $0["events"] = ["call_started": "call.started"] } == "options.events.call_started")
        #expect(failure { $0["event_path"] = nil } == "options.events.call_started")
        #expect(failure { $0["colour"] = "red" } == "options.colour")
    }

    @Test func aChangeKeepsTheRestOfTheRules() throws {
        let saved = try InboundSource.readOptions(.object(Self.options), kind: .json)
        let changed = try InboundSource.readOptions(["events": ["*": "call.end"], "event_path": .null], kind: .json, base: saved)
        #expect(changed["mapping"] == saved["mapping"] && changed["example"] == saved["example"] && changed["event_path"] == nil)
        #expect(changed["events"] == ["*": "call.end"])
    }
}
