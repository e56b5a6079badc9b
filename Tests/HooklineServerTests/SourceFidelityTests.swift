import Foundation
import HooklineCore
import Hummingbird
import HummingbirdTesting
import PropertyBased
import Synchronization
import Testing

/// A source is a bridge: what a provider sends for one call, at its start and after it, comes out
/// of the matching preset as it came in, each field with the latest value sent (issue 22, item 10).
@Suite struct SourceFidelityTests {
    static let awkward = Gen<Character>.oneOf(
        Gen.letterOrNumber.compactMap { $0 }, Gen.character(in: "а"..."я"), Gen.always("ё"), Gen.always("€"), Gen.always("😀"),
        Gen.always("e\u{301}"), Gen.always(" "), Gen.always("\""), Gen.always("&"), Gen.always("="), Gen.always("+"), Gen.always("%"),
        Gen.always("\\"), Gen.always("<")
    ).string(of: 0...12)

    static let texts = awkward.array(of: 6)

    static func encoded(_ pairs: [(String, String)]) -> String {
        pairs.map { "\(FormEncoding.form.encode($0.0))=\(FormEncoding.form.encode($0.1))" }.joined(separator: "&")
    }

    /// Seed 003's form with generated text in the fields people and trackers fill.
    static func envybox(type: Int, id: String, texts: [String], state: String, managers: String, calledAt: String) -> [(String, String)] {
        var pairs = SourcesTests.envybox(
            type: type, state: state, duration: type == 7 ? "0" : "42", record: type == 7 ? "" : "http://ru.callbackkiller.com/play/\(id)/", managers: managers,
            calledAt: calledAt)
        let generated = ["name": texts[0], "place": texts[1], "shown_on": texts[2], "utm_source": texts[3], "google_client_id": texts[4], "manager_name": texts[5]]
        for index in pairs.indices {
            if let text = generated[pairs[index].0] { pairs[index].1 = text }
            if pairs[index].0 == "call_id" { pairs[index].1 = id }
        }
        return pairs
    }

    @Test func envyboxsFormsForOneCallComeOutOfTheEnvyboxPresetAsTheyCameIn() async throws {
        try await Receiver.run { receiver in
            try await Hookline.run { hookline in
                let key = try await hookline.account()
                _ = try await hookline.webhook(key: key, url: receiver.url("/crm"), triggers: [.callBegin, .callEnd], extra: ["template": nil, "preset": "envybox"])
                let (_, path) = try await SourcesTests.source(hookline, key: key, kind: "envybox")
                let counter = Mutex(0)
                await propertyCheck(count: 6, input: Self.texts, Self.texts, Gen.bool) { first, later, callback in
                    let id = "ev\(counter.withLock { $0 += 1; return $0 })"
                    let managers = #"[{"manager_name":"\#(first[5].replacingOccurrences(of: "\\", with: "").replacingOccurrences(of: "\"", with: ""))","phone":"79999999999"}]"#
                    let begin = Self.envybox(type: 7, id: id, texts: first, state: "", managers: managers, calledAt: "2021-03-02 10:36:14")
                    // The later form changes what the people and the tracker filled in.
                    let end = callback
                        ? Self.envybox(type: 1, id: id, texts: later, state: "Заказ звонка", managers: "[]", calledAt: "")
                        : Self.envybox(type: 2, id: id, texts: later, state: "Состоялся разговор", managers: managers, calledAt: "2021-03-02 10:36:14")
                    #expect(try await SourcesTests.send(hookline, path, body: Self.encoded(begin), type: "application/x-www-form-urlencoded").status == .ok)
                    #expect(try await SourcesTests.send(hookline, path, body: Self.encoded(end), type: "application/x-www-form-urlencoded").status == .ok)
                    let sent = try await Self.received(receiver) { pairs in pairs.contains { $0 == ["call_id", id] } }
                    #expect(sent.first == begin.map { [$0.0, $0.1] }, "the start as it came in")
                    #expect(sent.last == end.map { [$0.0, $0.1] }, "the later form as it came in")
                }
            }
        }
    }

    @Test func envyboxsLeadFormsOfEveryTypeComeOutOfTheEnvyboxPresetAsTheyCameIn() async throws {
        try await Receiver.run { receiver in
            try await Hookline.run { hookline in
                let key = try await hookline.account()
                _ = try await hookline.webhook(key: key, url: receiver.url("/crm"), triggers: [.leadCreated], extra: ["template": nil, "preset": "envybox"])
                let (_, path) = try await SourcesTests.source(hookline, key: key, kind: "envybox")
                let counter = Mutex(0)
                await propertyCheck(count: 6, input: Self.texts, Gen.element(of: [10, 8, 12, 4, 19, 31])) { texts, type in
                    let id = "lead\(counter.withLock { $0 += 1; return $0 })"
                    // A lead's form: what only calls have is empty or zero, as the seed sends it.
                    var form = Self.envybox(type: type ?? 4, id: id, texts: texts, state: "", managers: "", calledAt: "")
                    for index in form.indices {
                        switch form[index].0 {
                        case "call_duration": form[index].1 = "0"
                        case "call_record", "manager_phone", "manager_name", "department": form[index].1 = ""
                        case "email": form[index].1 = "lead\(id)@example.com"
                        default: break
                        }
                    }
                    #expect(try await SourcesTests.send(hookline, path, body: Self.encoded(form), type: "application/x-www-form-urlencoded").status == .ok)
                    let sent = try await Self.received(receiver, count: 1) { pairs in pairs.contains { $0 == ["call_id", id] } }
                    #expect(sent.first == form.map { [$0.0, $0.1] }, "webhooktype \(type ?? 4) as it came in")
                }
            }
        }
    }

    /// A `roistat.call` source and a webhook with the `roistat.call` preset to `/crm`; answers the
    /// source's path.
    static func roistatBridge(_ hookline: Hookline, to receiver: Receiver) async throws -> String {
        let key = try await hookline.account()
        _ = try await hookline.webhook(
            key: key, url: receiver.url("/crm"), triggers: [.callBegin, .callEnd], extra: ["template": nil, "preset": ["name": "roistat.call", "metrika_client_id": true]])
        return try await SourcesTests.source(hookline, key: key, kind: "roistat.call").path
    }

    static func received(_ receiver: Receiver, count: Int = 2, where matches: @escaping @Sendable ([[String]]) -> Bool) async throws -> [[[String]]] {
        try await eventually(timeout: .seconds(60), "both deliveries") {
            await receiver.recorder.requests(to: "/crm").filter { matches(FormEncoding.form.decode($0.body).map { [$0.name, $0.value] }) }.count >= count
        }
        return await receiver.recorder.requests(to: "/crm").map { FormEncoding.form.decode($0.body).map { [$0.name, $0.value] } }.filter(matches)
    }

    @Test func roistatsTwoPayloadsForOneCallComeOutOfTheRoistatPresetByteForByte() async throws {
        try await Receiver.run { receiver in
            try await Hookline.run { hookline in
                let path = try await Self.roistatBridge(hookline, to: receiver)
                let counter = Mutex(300)
                await propertyCheck(count: 6, input: Self.texts, Self.texts) { first, later in
                    let id = "\(counter.withLock { $0 += 1; return $0 })"
                    var begin = SourcesTests.roistatBegin
                    begin["id"] = .string(id)
                    for (field, text) in zip(["marker", "google_client_id", "landing_page", "domain", "city", "referrer"], first) { begin[field] = .string(text) }
                    // Seed 002's second payload: the call after it ended, with fields changed since.
                    var end = begin
                    for (field, text) in zip(["marker", "google_client_id", "landing_page", "domain", "city", "referrer"], later) { end[field] = .string(text) }
                    end = end.merging(SourcesTests.roistatEndTail)
                    let beginText = JSONValue.object(begin).jsonText
                    let endText = JSONValue.object(end).jsonText
                    #expect(try await SourcesTests.send(hookline, path, body: beginText, type: "application/json").status == .ok)
                    #expect(try await SourcesTests.send(hookline, path, body: endText, type: "application/json").status == .ok)
                    try await eventually(timeout: .seconds(60), "both deliveries of call \(id)") {
                        await receiver.recorder.requests(to: "/crm").filter { (try? JSONParser.parse($0.body))?["id"] == .string(id) }.count >= 2
                    }
                    let bodies = await receiver.recorder.requests(to: "/crm").map(\.body).filter { (try? JSONParser.parse($0))?["id"] == .string(id) }
                    #expect(bodies == [beginText, endText])
                }
            }
        }
    }

    /// A field a later payload leaves out is no change: the provider's format has it, so it comes
    /// out with the value sent before; one sent empty is the latest word (empty).
    @Test func aFieldALaterPayloadLeavesOutKeepsItsEarlierValue() async throws {
        try await Receiver.run { receiver in
            try await Hookline.run { hookline in
                let path = try await Self.roistatBridge(hookline, to: receiver)
                var begin = SourcesTests.roistatBegin
                begin["id"] = "777"
                var end = begin.merging(SourcesTests.roistatEndTail)
                end["domain"] = nil
                end["city"] = ""
                #expect(try await SourcesTests.send(hookline, path, body: JSONValue.object(begin).jsonText, type: "application/json").status == .ok)
                #expect(try await SourcesTests.send(hookline, path, body: JSONValue.object(end).jsonText, type: "application/json").status == .ok)
                try await eventually(timeout: .seconds(60), "both deliveries") { await receiver.recorder.requests(to: "/crm").count >= 2 }
                let sent = try #require(try await receiver.recorder.requests(to: "/crm").last.map { try JSONParser.parse($0.body) })
                #expect(sent["domain"] == begin["domain"] && sent["city"] == "" && sent["status"] == "ANSWER", "\(sent)")
            }
        }
    }
}
