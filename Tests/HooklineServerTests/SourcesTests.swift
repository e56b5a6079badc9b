import Foundation
import HooklineCore
import Hummingbird
import HummingbirdTesting
import Testing

/// Sources: providers' own webhooks in, through the same matching, order and retries, out again
/// in any shape. The proofs of issue 15: Roistat's call JSON in, `roistat.call` out, byte for
/// byte; Envybox's form in, `envybox` out, the same parameters and values.
@Suite struct SourcesTests {
    /// Seed 002's "webhook in the moment of call", comments removed, as one line of JSON.
    static let roistatBegin = try! JSONParser.parse("""
        {"id": "313", "caller": "79990009911", "callee": "78005552233", "visit_id": "123456", "marker": "vk_new",
         "order_id": 123456789, "date": "2019-02-19 00:00:00", "google_client_id": "111111111.111111111", "custom_fields": [],
         "landing_page": "test.com/new", "domain": "test.com", "city": "", "country": "", "ip": "100.100.1.1", "first_visit": "1001",
         "referrer": "vk.com", "utm_source": null, "utm_medium": null, "utm_campaign": null, "utm_term": null, "utm_content": null,
         "roistat_param_1": null, "roistat_param_2": null, "roistat_param_3": null, "roistat_param_4": null, "roistat_param_5": null,
         "metrika_client_id": null, "source_level_1": "vk", "source_level_2": "new"}
        """).objectValue!
    static let roistatEndTail: JSONObject = ["status": "ANSWER", "file_id": nil, "duration": 20, "link": ""]

    static func source(_ hookline: Hookline, key: String, kind: String, options: JSONObject = [:]) async throws -> (id: String, path: String) {
        let created = try await hookline.call(.post, "/v1/sources", key: key, json: ["name": .string(kind), "kind": .string(kind), "options": .object(options)])
        #expect(created.status == .created, "\(created.text)")
        return (try #require(created["id"]?.stringValue), try #require(created["ingest_path"]?.stringValue))
    }

    static func send(_ hookline: Hookline, _ path: String, method: HTTPRequest.Method = .post, body: String, type: String) async throws -> (status: HTTPResponse.Status, text: String) {
        let response = try await hookline.client.execute(uri: path, method: method, headers: [.contentType: type], body: ByteBuffer(string: body))
        return (response.status, String(buffer: response.body))
    }

    @Test(arguments: [true, false])
    func roistatsCallJSONComesOutOfTheRoistatPresetByteForByte(metrika: Bool) async throws {
        try await Receiver.run { receiver in
            try await Hookline.run { hookline in
                let key = try await hookline.account()
                _ = try await hookline.webhook(
                    key: key, url: receiver.url("/crm"), triggers: [.callBegin, .callEnd],
                    extra: ["template": nil, "preset": ["name": "roistat.call", "metrika_client_id": .bool(metrika)]])
                let (id, path) = try await Self.source(hookline, key: key, kind: "roistat.call")
                var begin = Self.roistatBegin
                if !metrika { begin["metrika_client_id"] = nil }
                let beginText = JSONValue.object(begin).jsonText
                let endText = JSONValue.object(begin.merging(Self.roistatEndTail)).jsonText
                let answer = try await Self.send(hookline, path, body: beginText, type: "application/json")
                #expect(answer.status == .ok && answer.text.contains("\"status\":\"ok\""))
                // Roistat resends when it is unsure: the same call and kind is the same event.
                #expect(try await Self.send(hookline, path, body: beginText, type: "application/json").status == .ok)
                #expect(try await Self.send(hookline, path, body: endText, type: "application/json").status == .ok)
                try await eventually(timeout: .seconds(60), "both deliveries") { await receiver.recorder.requests(to: "/crm").count >= 2 }
                let received = await receiver.recorder.requests(to: "/crm")
                #expect(received.count == 2)
                #expect(received.first?.body == beginText)
                #expect(received.last?.body == endText)
                let source = try await hookline.call(.get, "/v1/sources/\(id)", key: key)
                #expect(source["received"] == 3 && source["refused"] == 0)
                let call = try await hookline.call(.get, "/v1/calls/313", key: key)
                #expect(call["status"] == "ended" && call["source"] == .string(id), "the call shows the source it came from")
            }
        }
    }

    @Test func aSourceRefusesWhatItCannotReadAndStoresNothingOfIt() async throws {
        try await Hookline.run(runsWorkers: false) { hookline in
            let key = try await hookline.account()
            let (id, path) = try await Self.source(hookline, key: key, kind: "roistat.call")
            #expect(try await Self.send(hookline, "/in/in_wrong", body: "{}", type: "application/json").status == .notFound)
            let notJSON = try await Self.send(hookline, path, body: "id=313", type: "application/x-www-form-urlencoded")
            #expect(notJSON.status == .badRequest && notJSON.text.contains("\"field\":\"body\""))
            let noID = try await Self.send(hookline, path, body: #"{"caller": "7999"}"#, type: "application/json")
            #expect(noID.status == .badRequest && noID.text.contains("\"field\":\"id\""))
            let badStatus = try await Self.send(hookline, path, body: #"{"id": "1", "status": "MAYBE"}"#, type: "application/json")
            #expect(badStatus.status == .badRequest && badStatus.text.contains("\"field\":\"status\""), "\(badStatus.text)")
            let large = try await Self.send(hookline, path, body: "{\"id\": \"" + String(repeating: "x", count: 1_100_000) + "\"}", type: "application/json")
            #expect(large.status == .contentTooLarge)
            #expect(try await hookline.call(.get, "/v1/calls", key: key)["data"]?.arrayValue?.isEmpty == true, "nothing of it is stored")
            let source = try await hookline.call(.get, "/v1/sources/\(id)", key: key)
            #expect(source["refused"] == 3 && source["received"] == 0)
            // A rotated secret: the old address is gone at once.
            let rotated = try await hookline.call(.post, "/v1/sources/\(id)/rotate-secret", key: key)
            let newPath = try #require(rotated["ingest_path"]?.stringValue)
            #expect(try await Self.send(hookline, path, body: #"{"id": "9"}"#, type: "application/json").status == .notFound)
            #expect(try await Self.send(hookline, newPath, body: #"{"id": "9"}"#, type: "application/json").status == .ok)
            #expect(!(try await hookline.call(.get, "/v1/sources", key: key).text.contains(newPath)), "the secret is shown only once")
        }
    }

    /// Seed 003's parameters, in its order, as a call begins and then as it ended.
    static func envybox(type: Int, state: String, duration: String, record: String, managers: String, calledAt: String = "2021-03-02 10:36:14") -> [(String, String)] {
        [
            ("webhooktype", "\(type)"), ("phone", "79998887766"), ("name", ""), ("email", ""), ("call_state", state), ("call_duration", duration),
            ("call_record", record), ("called_at", calledAt), ("referrer", "google.ru"), ("keyword", ""), ("ip", "62.183.126.159"),
            ("place", "Краснодар, Краснодарский край"), ("site", "somedomain.com"), ("url", "https://somedomain.com/stavropol/"), ("shown_on", "Нажал на кнопку"),
            ("utm_source", ""), ("utm_medium", ""), ("utm_campaign", ""), ("utm_content", ""), ("utm_term", ""), ("visitor_id", "662654972"),
            ("google_client_id", "1069378275.1516340609"), ("rs", ""), ("roistat_promo", ""), ("adv_uid", ""), ("calltracking_id", ""), ("manager_phone", ""),
            ("manager_name", ""), ("department", ""), ("key", "f94c2baa94dbc6e9eabd3c181093c08f"), ("lpgenerator_id", ""), ("leadvertex_id", ""),
            ("call_id", "6002540"), ("managers_phones", managers), ("custom_data", "[]"), ("yandex_client_id", ""), ("yclid", ""),
        ]
    }

    @Test func envyboxsFormComesOutOfTheEnvyboxPresetWithTheSameParametersAndValues() async throws {
        try await Receiver.run { receiver in
            try await Hookline.run { hookline in
                let key = try await hookline.account()
                _ = try await hookline.webhook(key: key, url: receiver.url("/crm"), triggers: [.callBegin, .callEnd], extra: ["template": nil, "preset": "envybox"])
                let (_, path) = try await Self.source(hookline, key: key, kind: "envybox", options: ["key": "f94c2baa94dbc6e9eabd3c181093c08f"])
                func encoded(_ pairs: [(String, String)]) -> String { pairs.map { "\(FormEncoding.form.encode($0.0))=\(FormEncoding.form.encode($0.1))" }.joined(separator: "&") }
                let begin = Self.envybox(type: 7, state: "", duration: "0", record: "", managers: "[]")
                let end = Self.envybox(
                    type: 2, state: "Состоялся разговор", duration: "42", record: "http://ru.callbackkiller.com/user/calls/6002540/play/8a/",
                    managers: #"[{"manager_name":"","phone":"79999999999"}]"#)
                #expect(try await Self.send(hookline, path, body: encoded(begin), type: "application/x-www-form-urlencoded").status == .ok)
                #expect(try await Self.send(hookline, path, body: encoded(end), type: "application/x-www-form-urlencoded").status == .ok)
                var wrongKey = begin
                wrongKey[29].1 = "other"
                #expect(try await Self.send(hookline, path, body: encoded(wrongKey), type: "application/x-www-form-urlencoded").status == .forbidden)
                try await eventually(timeout: .seconds(60), "both deliveries") { await receiver.recorder.requests(to: "/crm").count >= 2 }
                let received = await receiver.recorder.requests(to: "/crm")
                let sent = received.map { FormEncoding.form.decode($0.body).map { [$0.name, $0.value] } }
                #expect(sent.first == begin.map { [$0.0, $0.1] })
                #expect(sent.last == end.map { [$0.0, $0.1] })
                let call = try await hookline.call(.get, "/v1/calls/6002540", key: key)
                #expect(call["values"]?["managers_phones"] == [["manager_name": "", "phone": "79999999999"]], "kept as a nested value")
                #expect(call["values"]?["custom_data"] == [])
            }
        }
    }

    /// Seed 003's own example: a callback ordered (webhooktype 1) with its recording and called_at
    /// empty, as the call's first and only request.
    @Test func seed003sCallbackOrderComesOutOfTheEnvyboxPresetAsItCameIn() async throws {
        try await Receiver.run { receiver in
            try await Hookline.run { hookline in
                let key = try await hookline.account()
                _ = try await hookline.webhook(key: key, url: receiver.url("/crm"), triggers: [.callEnd], extra: ["template": nil, "preset": "envybox"])
                let (_, path) = try await Self.source(hookline, key: key, kind: "envybox")
                let ordered = Self.envybox(
                    type: 1, state: "Заказ звонка", duration: "0", record: "http://ru.callbackkiller.com/user/calls/6002540/play/8a/",
                    managers: #"[{"manager_name":"","phone":"79999999999"}]"#, calledAt: "")
                let body = ordered.map { "\(FormEncoding.form.encode($0.0))=\(FormEncoding.form.encode($0.1))" }.joined(separator: "&")
                #expect(try await Self.send(hookline, path, body: body, type: "application/x-www-form-urlencoded").status == .ok)
                try await eventually(timeout: .seconds(60), "the delivery") { await receiver.recorder.requests(to: "/crm").count >= 1 }
                let sent = await receiver.recorder.requests(to: "/crm").map { FormEncoding.form.decode($0.body).map { [$0.name, $0.value] } }
                #expect(sent == [ordered.map { [$0.0, $0.1] }])
            }
        }
    }

    @Test func roistatsCRMRequestIsCheckedByItsTokenAndAnsweredWithTheOrderID() async throws {
        try await Hookline.run(runsWorkers: false) { hookline in
            let key = try await hookline.account()
            let (id, path) = try await Self.source(hookline, key: key, kind: "roistat.crm", options: ["user": "1", "password": "1"])
            let query = "user=1&token=6512bd43d9caa6e02c990b0a82652dca&action=lead&visit=9&id=6&title=Caught+lead&text=Promo-code%3A+1674&name=Robert"
                + "&phone=%2B11230001122&email=email%40mail.com&data=%7B%22page%22%3A%22http%3A%5C%2F%5C%2Fsite.com%5C%2F%22%7D&created_date=2015-06-28+09%3A12%3A54"
            let answer = try await Self.send(hookline, "\(path)?\(query)", method: .get, body: "", type: "text/plain")
            #expect(answer.status == .ok, "\(answer.text)")
            #expect(try JSONParser.parse(answer.text) == ["status": "ok", "order_id": "6"])
            let lead = try await hookline.call(.get, "/v1/leads/6", key: key)
            #expect(lead["values"]?["lead_name"] == "Robert" && lead["values"]?["lead_data"] == ["page": "http://site.com/"] && lead["values"]?["visit_id"] == "9")
            let forged = try await Self.send(hookline, "\(path)?\(query.replacingOccurrences(of: "6512bd43", with: "00000000"))", method: .get, body: "", type: "text/plain")
            #expect(forged.status == .forbidden)
            let message = "user=1&token=6512bd43d9caa6e02c990b0a82652dca&action=message&leadId=6&title=Duplicated+lead&text=Again"
            #expect(try await Self.send(hookline, "\(path)?\(message)", method: .get, body: "", type: "text/plain").status == .ok)
            #expect(try await hookline.call(.get, "/v1/leads/6", key: key)["message_count"] == 1)
            let unknown = try await Self.send(hookline, "\(path)?\(message.replacingOccurrences(of: "leadId=6", with: "leadId=77"))", method: .get, body: "", type: "text/plain")
            #expect(unknown.status == .unprocessableContent)
            let counted = try await hookline.call(.get, "/v1/sources/\(id)", key: key)
            #expect(counted["received"] == 2 && counted["refused"] == 2 && counted["options"] == ["user": "1", "password": "[redacted]"])
        }
    }

    @Test func anyTrackersJSONIsMappedToTokensAndItsOtherFieldsRideAlong() async throws {
        try await Receiver.run { receiver in
            try await Hookline.run { hookline in
                let key = try await hookline.account()
                _ = try await hookline.webhook(
                    key: key, url: receiver.url("/crm"), body: #"{"id": "%callid%", "from": "%ani%", "talk": "%answered_time%", "rest": "%source_fields%"}"#)
                let (id, path) = try await Self.source(hookline, key: key, kind: "json", options: JSONInboundOptions.options)
                let started = #"{"event": "call_started", "call": {"id": 77, "from": "+1 555 0100"}, "agent": {"name": "Anna"}}"#
                let ended = #"{"event": "call_ended", "call": {"id": 77, "from": "+1 555 0100", "seconds": "35", "status": "ANSWER"}, "agent": {"name": "Anna"}}"#
                #expect(try await Self.send(hookline, path, body: started, type: "application/json").status == .ok)
                #expect(try await Self.send(hookline, path, body: started, type: "application/json").status == .ok, "a resend is the same event")
                #expect(try await Self.send(hookline, path, body: ended, type: "application/json").status == .ok)
                let unknown = try await Self.send(hookline, path, body: #"{"event": "transfer", "call": {"id": 77}}"#, type: "application/json")
                #expect(unknown.status == .badRequest && unknown.text.contains("\"field\":\"$.event\""), "\(unknown.text)")
                let slash = try await Self.send(hookline, path, body: #"{"event": "call_started", "call": {"id": "a/b"}}"#, type: "application/json")
                #expect(slash.status == .badRequest && slash.text.contains("\"field\":\"$.call.id\""), "\(slash.text)")
                try await eventually(timeout: .seconds(60), "both deliveries") { await receiver.recorder.requests(to: "/crm").count >= 2 }
                let bodies = await receiver.recorder.requests(to: "/crm").map { try? JSONParser.parse($0.body) }
                #expect(bodies.count == 2)
                #expect(bodies.first == ["id": "77", "from": "+1 555 0100", "talk": .null, "rest": ["agent": ["name": "Anna"]]])
                #expect(bodies.last == ["id": "77", "from": "+1 555 0100", "talk": 35, "rest": ["agent": ["name": "Anna"]]])
                let call = try await hookline.call(.get, "/v1/calls/77", key: key)
                #expect(call["source"] == .string(id) && call["values"]?["source_fields"] == ["agent": ["name": "Anna"]], "the unmapped fields are shown on the call")
                let log = try await hookline.deliveries(key: key)
                #expect(log.count == 2 && log.allSatisfy { $0["source"] == .string(id) }, "the log says which source each delivery's call came from")
                let source = try await hookline.call(.get, "/v1/sources/\(id)", key: key)
                #expect(source["received"] == 3 && source["refused"] == 2 && source["options"]?["id_path"] == "$.call.id")
                let badRule = try await hookline.call(.patch, "/v1/sources/\(id)", key: key, json: ["options": ["mapping": ["$.nowhere": "ani"]]])
                #expect(badRule.status == .unprocessableContent && badRule.text.contains("options.mapping.$.nowhere"), "\(badRule.text)")
                let noExample = try await hookline.call(.post, "/v1/sources", key: key, json: ["name": "bare", "kind": "json"])
                #expect(noExample.status == .unprocessableContent && noExample.text.contains("options.example"), "\(noExample.text)")
            }
        }
    }
}

/// The rules of `JSONInboundTests`, for a source made through the API.
enum JSONInboundOptions {
    static let options: JSONObject = [
        "example": #"{"event": "call_started", "call": {"id": 9001, "from": "+1 555 0100", "seconds": 35, "status": "ANSWER"}, "agent": {"name": "Anna"}}"#,
        "mapping": ["$.call.from": "ani", "$.call.seconds": "answered_time", "$.call.status": "dialstatus"],
        "id_path": "$.call.id", "event_path": "$.event", "events": ["call_started": "call.begin", "call_ended": "call.end"],
    ]
}

@Suite struct SourcePagesTests {
    @Test func theSourcesPageAddsASourceShowsItsAddressOnceAndCountsWhatItGets() async throws {
        try await Hookline.run(runsWorkers: false) { hookline in
            let (_, browser) = try await WizardTests.signedIn(hookline)
            let page = try await browser.request(.get, "/sources")
            let half = try await browser.submit(page.text, to: "/sources", [("name", "Roistat CRM"), ("kind", "roistat.crm"), ("user", "1"), ("password", ""), ("key", "")])
            #expect(half.status == .unprocessableContent && half.text.contains("user and password go together"))
            let added = try await browser.submit(page.text, to: "/sources", [("name", "Roistat calls"), ("kind", "roistat.call"), ("user", ""), ("password", ""), ("key", "")])
            #expect(added.status == .ok && added.text.contains("id=\"new-address\""))
            let url = try #require(added.text.components(separatedBy: "<code>").dropFirst().first?.components(separatedBy: "</code>").first)
            let path = try #require(url.range(of: "/in/").map { String(url[$0.lowerBound...]) })
            #expect(try await SourcesTests.send(hookline, path, body: #"{"id": "1"}"#, type: "application/json").status == .ok)
            let listed = try await browser.request(.get, "/sources")
            #expect(listed.text.contains("Roistat calls") && !listed.text.contains(path) && listed.text.contains("<td>1</td><td>0</td>"))
        }
    }

    @Test func aJSONSourceIsBuiltFromAPastedExampleWithItsFieldsMappedOnThePage() async throws {
        try await Hookline.run(runsWorkers: false) { hookline in
            let (key, browser) = try await WizardTests.signedIn(hookline)
            let page = try await browser.request(.get, "/sources")
            let broken = try await browser.submit(page.text, to: "/sources", [("name", "Tracker"), ("kind", "json"), ("example", "{\"call\": ")])
            #expect(broken.status == .unprocessableContent && broken.text.contains("id=\"example-error\""))
            let example = #"{"type": "call_started", "call": {"id": 5, "from": "555"}, "agent": "Anna"}"#
            let rules = try await browser.submit(page.text, to: "/sources", [("name", "Tracker"), ("kind", "json"), ("example", example)])
            #expect(rules.status == .ok && rules.text.contains("id=\"json-rules\"") && rules.text.contains("<code>$.call.from</code>"))
            #expect(rules.text.contains(#"<option value="$.call.id" selected>"#) && rules.text.contains(#"<option value="$.type" selected>"#), "the usual names are chosen first")
            let twice = try await browser.submit(
                rules.text, to: "/sources",
                [("map.$.call.from", "ani"), ("id_path", "$.call.id"), ("event_path", "$.type"), ("rule.call.begin", "call_started"), ("rule.call.end", "call_started")])
            #expect(twice.status == .unprocessableContent && twice.text.contains("already means call.begin"), "\(twice.text)")
            let added = try await browser.submit(
                rules.text, to: "/sources",
                [("map.$.call.from", "ani"), ("id_path", "$.call.id"), ("event_path", "$.type"), ("rule.call.begin", "call_started"), ("rule.call.end", "call_ended, missed")])
            #expect(added.status == .ok && added.text.contains("id=\"new-address\""), "\(added.text)")
            let url = try #require(added.text.components(separatedBy: "<code>").dropFirst().first?.components(separatedBy: "</code>").first)
            let path = try #require(url.range(of: "/in/").map { String(url[$0.lowerBound...]) })
            #expect(try await SourcesTests.send(hookline, path, body: #"{"type": "missed", "call": {"id": 6, "from": "777"}, "agent": "Bo"}"#, type: "application/json").status == .ok)
            let call = try await hookline.call(.get, "/v1/calls/6", key: key)
            #expect(call["status"] == "ended" && call["values"]?["ani"] == "777" && call["values"]?["source_fields"] == ["agent": "Bo"])
        }
    }
}
