import Foundation
import HooklineCore
import Hummingbird
import Testing

/// A call keeps changing after it ends: its recording arrives, a manager scores it, it becomes a
/// sale. One call's whole life through the API and through a provider's own webhooks, against a
/// real receiver.
@Suite struct LaterDataTests {
    static let body = #"{"kind": "%changed_fields%", "id": "%callid%", "link": "%rec_audiourl%", "before": "%previous_values%", "sale": "%conversion_value%", "v": "%updated_at%"}"#

    @Test func oneCallsLifeReachesTheReceiverInOrderEachAsItWas() async throws {
        try await Receiver.run { receiver in
            try await Hookline.run { hookline in
                let key = try await hookline.account()
                let webhook = try await hookline.webhook(
                    key: key, url: receiver.url("/ok/crm"), triggers: [.callBegin, .callEnd, .callUpdated, .callConverted], body: Self.body)
                try await hookline.call(.post, "/v1/calls", key: key, json: ["callid": "c1", "ani": "+1 (555) 010-0100"])
                let end = try await hookline.call(.post, "/v1/calls/c1/end", key: key, json: ["dialstatus": "ANSWER", "answered_time": 170])
                #expect(end["version"] == 2 && end["changed_fields"] == [])
                // Three minutes later the recording arrives.
                let update = try await hookline.call(
                    .patch, "/v1/calls/c1", key: key, json: ["rec_audiourl": "https://rec.example/c1.mp3", "call_score": 80],
                    headers: [.init("Idempotency-Key")!: "rec-c1"])
                #expect(update.status == .ok && update["kind"] == "call.updated" && update["changed_fields"] == ["rec_audiourl", "call_score"], "\(update.text)")
                let repeated = try await hookline.call(
                    .patch, "/v1/calls/c1", key: key, json: ["rec_audiourl": "https://rec.example/c1.mp3", "call_score": 80],
                    headers: [.init("Idempotency-Key")!: "rec-c1"])
                #expect(repeated.json == update.json, "the same update sent twice is one event")
                let unchanged = try await hookline.call(.patch, "/v1/calls/c1", key: key, json: ["call_score": 80])
                #expect(unchanged.status == .ok && unchanged["event_id"] == .null && unchanged["deliveries"] == [])
                let sale = try await hookline.call(
                    .post, "/v1/conversions", key: key, json: ["caller": "15550100100", "conversion_name": "Sale", "conversion_value": 1250.5, "conversion_currency": "USD"])
                #expect(sale.status == .created && sale["call_id"] == "c1" && sale["kind"] == "call.converted", "\(sale.text)")

                try await eventually("four deliveries") { await receiver.recorder.requests(to: "/ok/crm").count == 4 }
                let sent = await receiver.recorder.requests(to: "/ok/crm").compactMap(\.json)
                #expect(sent.map { $0["kind"] } == [.null, [], ["rec_audiourl", "call_score"], .null])
                #expect(sent.map { $0["link"] } == [.null, .null, "https://rec.example/c1.mp3", "https://rec.example/c1.mp3"])
                #expect(sent[2]["before"] == ["rec_audiourl": nil, "call_score": nil] && sent[3]["sale"] == 1250.5)

                let call = try await hookline.call(.get, "/v1/calls/c1", key: key)
                #expect(call["version"] == 4 && call["values"]?["conversion_currency"] == "USD")
                let timeline = try await hookline.call(.get, "/v1/calls/c1/events", key: key)
                #expect(timeline["data"]?.arrayValue?.map { $0["kind"] } == ["call.begin", "call.end", "call.updated", "call.converted"])
                #expect(timeline["data"]?.arrayValue?[2]["changes"]?.arrayValue?.first == ["field": "rec_audiourl", "from": nil, "to": "https://rec.example/c1.mp3"])
                let deliveries = try await hookline.deliveries(key: key, query: "?webhook_id=\(webhook)")
                #expect(Set(deliveries.compactMap { $0["subject_version"]?.integerValue }) == [1, 2, 3, 4])
                // A replay of the end sends what the end sent.
                let endDelivery = try #require(deliveries.first { $0["event_kind"] == "call.end" }?["id"]?.stringValue)
                #expect(try await hookline.call(.post, "/v1/deliveries/\(endDelivery)/replay", key: key).status == .accepted)
                try await eventually("the replay") { await receiver.recorder.requests(to: "/ok/crm").count == 5 }
                #expect(await receiver.recorder.requests(to: "/ok/crm").last?.json == sent[1])
            }
        }
    }

    @Test func updatesAndConversionsRefuseWhatTheyCannotUseAndNameTheField() async throws {
        try await Hookline.run(runsWorkers: false) { hookline in
            let key = try await hookline.account()
            let other = try await hookline.account("Other")
            try await hookline.call(.post, "/v1/calls", key: key, json: ["callid": "c1", "ani": "5550100"])
            let cases: [(String, String, JSONValue, Int, String)] = [
                ("PATCH", "/v1/calls/c1", ["rec_audio": "x"], 400, "rec_audio"),
                ("PATCH", "/v1/calls/c1", [:], 400, "body"),
                ("PATCH", "/v1/calls/c1", ["callid": "c2"], 422, "callid"),
                ("PATCH", "/v1/calls/c1", ["lead_name": "x"], 400, "lead_name"),
                ("PATCH", "/v1/calls/c1", ["call_score": 101], 400, "call_score"),
                ("PATCH", "/v1/calls/c1", ["changed_fields": ["x"]], 400, "changed_fields"),
                ("PATCH", "/v1/calls/c1", ["call_note": .string(String(repeating: "e\u{301}", count: 10)), "transcript": .string("\u{7}bell")], 200, ""),
                ("PATCH", "/v1/leads/c1", ["lead_name": "x"], 404, ""),
                ("POST", "/v1/conversions", ["conversion_value": 1], 422, "call_id"),
                ("POST", "/v1/conversions", ["call_id": "c1", "caller": "5550100"], 422, "caller"),
                ("POST", "/v1/conversions", ["call_id": "c1", "conversion_currency": "usd"], 422, "conversion_currency"),
                ("POST", "/v1/conversions", ["call_id": "nope"], 404, ""),
                ("POST", "/v1/conversions", ["caller": "no digits"], 422, "caller"),
                ("POST", "/v1/conversions", ["caller": "5550100", "from": "2020-01-01T00:00:00Z", "to": "2021-01-01T00:00:00Z"], 422, "from"),
                ("POST", "/v1/conversions", ["caller": "5550177"], 404, "caller"),
                ("POST", "/v1/conversions", ["call_id": "c1", "conversion_id": "a/b"], 422, "conversion_id"),
            ]
            for (method, path, body, status, field) in cases {
                let answer = try await hookline.call(method == "PATCH" ? .patch : .post, path, key: key, json: body)
                #expect(Int(answer.status.code) == status, "\(method) \(path) \(body.jsonText): \(answer.text)")
                if !field.isEmpty { #expect(answer["error"]?["field"] == .string(field), "\(answer.text)") }
            }
            // Another account's call is not there for this key.
            #expect(try await hookline.call(.patch, "/v1/calls/c1", key: other, json: ["call_note": "x"]).status == .notFound)
            #expect(try await hookline.call(.get, "/v1/calls/c1/events", key: other).status == .notFound)
            #expect(try await hookline.call(.post, "/v1/conversions", key: other, json: ["call_id": "c1"]).status == .notFound)
            let twice = try await hookline.call(.post, "/v1/conversions", key: key, json: ["call_id": "c1", "conversion_id": "s1"])
            #expect(twice.status == .created)
            #expect(try await hookline.call(.post, "/v1/conversions", key: key, json: ["call_id": "c1", "conversion_id": "s1"]).status == .conflict)
            let call = try await hookline.call(.get, "/v1/calls/c1", key: key)
            #expect(call["values"]?["call_note"] == .string(String(repeating: "e\u{301}", count: 10)) && call["version"] == 3)
        }
    }

    @Test func roistatsAfterCallWebhookResentWithItsRecordingIsOneMoreAfterCallWebhook() async throws {
        try await Receiver.run { receiver in
            try await Hookline.run { hookline in
                let key = try await hookline.account()
                _ = try await hookline.webhook(
                    key: key, url: receiver.url("/ok/roistat"), triggers: [.callBegin, .callEnd, .callUpdated], extra: ["template": nil, "preset": ["name": "roistat.call"]])
                let (_, path) = try await SourcesTests.source(hookline, key: key, kind: "roistat.call")
                let beginText = JSONValue.object(SourcesTests.roistatBegin).jsonText
                let endText = JSONValue.object(SourcesTests.roistatBegin.merging(SourcesTests.roistatEndTail)).jsonText
                let recorded = SourcesTests.roistatEndTail.merging(["file_id": "f-77", "link": "https://rec.example/313.mp3"])
                let laterText = JSONValue.object(SourcesTests.roistatBegin.merging(recorded)).jsonText
                for text in [beginText, endText, endText, laterText, laterText] {
                    #expect(try await SourcesTests.send(hookline, path, body: text, type: "application/json").status == .ok)
                }
                try await eventually(timeout: .seconds(60), "three deliveries") { await receiver.recorder.requests(to: "/ok/roistat").count >= 3 }
                let received = await receiver.recorder.requests(to: "/ok/roistat")
                #expect(received.map(\.body) == [beginText, endText, laterText], "the after-call webhook again, whole, with its link")
                let timeline = try await hookline.call(.get, "/v1/calls/313/events", key: key)
                #expect(timeline["data"]?.arrayValue?.map { $0["kind"] } == ["call.begin", "call.end", "call.updated"])
                #expect(timeline["data"]?.arrayValue?[2]["source"] != .null)
            }
        }
    }

    @Test func envyboxSendsTheRecordingAsItsCallInformationAndPresetsRefuseWhatTheyCannotCarry() async throws {
        try await Receiver.run { receiver in
            try await Hookline.run { hookline in
                let key = try await hookline.account()
                _ = try await hookline.webhook(
                    key: key, url: receiver.url("/ok/envybox"), triggers: [.callUpdated], extra: ["template": nil, "preset": "envybox"])
                for (preset, trigger) in [("envybox", "call.converted"), ("roistat.call", "call.converted"), ("envybox", "lead.updated")] {
                    let refused = try await hookline.call(
                        .post, "/v1/webhooks", key: key,
                        json: ["name": "x", "url": .string(receiver.url("/ok/x")), "triggers": [.string(trigger)], "preset": ["name": .string(preset)]])
                    #expect(refused.status == .badRequest || refused.status == .unprocessableContent, "\(preset) \(trigger): \(refused.text)")
                    #expect(refused["error"]?["field"]?.stringValue?.hasPrefix("triggers") == true, "\(refused.text)")
                }
                let defaults = try await hookline.call(
                    .post, "/v1/webhooks", key: key, json: ["name": "x", "url": .string(receiver.url("/ok/x")), "preset": ["name": "roistat.call"]])
                #expect(defaults["triggers"] == ["call.begin", "call.end"], "later triggers are sent only to a webhook that asks")
                try await hookline.call(.post, "/v1/calls", key: key, json: ["callid": "6002540", "ani": "79998887766"])
                try await hookline.call(.post, "/v1/calls/6002540/end", key: key, json: ["call_state": "Состоялся разговор", "answered_time": 20])
                try await hookline.call(.patch, "/v1/calls/6002540", key: key, json: ["rec_audiourl": "https://rec.example/e.mp3"])
                try await eventually("the call information") { await receiver.recorder.requests(to: "/ok/envybox").count == 1 }
                let form = Dictionary(
                    FormEncoding.form.decode(await receiver.recorder.requests(to: "/ok/envybox")[0].body).map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })
                #expect(form["webhooktype"] == "2" && form["call_record"] == "https://rec.example/e.mp3" && form["call_duration"] == "20")
            }
        }
    }

    @Test func theCRMGetsOneEndWithTheRecordingThatCameLaterOrTheEndAloneAtItsTime() async throws {
        try await Receiver.run { receiver in
            try await Hookline.run { hookline in
                let key = try await hookline.account()
                let waiting = try await hookline.webhook(
                    key: key, url: receiver.url("/ok/crm"), triggers: [.callEnd], body: Self.body,
                    extra: ["hold": ["until": ["rec_audiourl"], "max_seconds": 900]])
                _ = try await hookline.webhook(
                    key: key, url: receiver.url("/ok/brief"), triggers: [.callEnd], body: Self.body, extra: ["hold": ["until": ["transcript"], "max_seconds": 1]])
                #expect(try await hookline.call(.get, "/v1/webhooks/\(waiting)", key: key)["hold"] == ["until": ["rec_audiourl"], "max_seconds": 900])
                try await hookline.call(.post, "/v1/calls", key: key, json: ["callid": "c1", "ani": "5550100"])
                try await hookline.call(.post, "/v1/calls/c1/end", key: key, json: ["dialstatus": "ANSWER"])
                let held = try await hookline.deliveries(key: key, query: "?status=held&webhook_id=\(waiting)")
                #expect(held.count == 1 && held.first?["status"] == "held" && held.first?["held"]?["waiting_for"] == ["rec_audiourl"], "\(held)")
                // The other webhook's hold ends at its time and sends what is known.
                try await eventually(timeout: .seconds(60), "the brief hold's end") { await receiver.recorder.requests(to: "/ok/brief").count == 1 }
                #expect(await receiver.recorder.requests(to: "/ok/brief").first?.json?["link"] == .null)
                #expect(await receiver.recorder.requests(to: "/ok/crm").isEmpty)

                try await hookline.call(.patch, "/v1/calls/c1", key: key, json: ["rec_audiourl": "https://rec.example/c1.mp3"])
                try await eventually("the end with its recording") { await receiver.recorder.requests(to: "/ok/crm").count == 1 }
                let end = await receiver.recorder.requests(to: "/ok/crm")[0].json
                #expect(end?["id"] == "c1" && end?["link"] == "https://rec.example/c1.mp3")
                #expect(try await hookline.deliveries(key: key, query: "?status=held").isEmpty)
                try await Task.sleep(for: .milliseconds(300))
                #expect(await receiver.recorder.requests(to: "/ok/crm").count == 1, "one call.end, nothing sent twice")
                #expect(await receiver.recorder.requests(to: "/ok/brief").count == 1)

                for (hold, field) in [
                    (["until": ["rec_audio"], "max_seconds": 60] as JSONValue, "hold.until[0]"), (["until": [], "max_seconds": 60], "hold.until"),
                    (["until": ["rec_audiourl"], "max_seconds": 3601], "hold.max_seconds"), (["until": ["lead_name"], "max_seconds": 60], "hold.until[0]"),
                    (["until": ["rec_audiourl"]], "hold.max_seconds"), ("wait", "hold"),
                ] {
                    let refused = try await hookline.call(
                        .post, "/v1/webhooks", key: key, json: ["name": "x", "url": .string(receiver.url("/ok/x")), "triggers": ["call.end"], "template": ["format": "json", "body": "{}"], "hold": hold])
                    #expect(refused.status.code >= 400 && refused.status.code < 500 && refused.errorField == field, "\(hold.jsonText): \(refused.text)")
                }
                let noEnd = try await hookline.call(
                    .post, "/v1/webhooks", key: key,
                    json: ["name": "x", "url": .string(receiver.url("/ok/x")), "triggers": ["call.begin"], "template": ["format": "json", "body": "{}"], "hold": ["until": ["rec_audiourl"], "max_seconds": 60]])
                #expect(noEnd.status == .unprocessableContent && noEnd.errorField == "hold", "\(noEnd.text)")
            }
        }
    }

    @Test func anotherTrackersJSONReportsARecordingAndASaleThroughItsSource() async throws {
        try await Receiver.run { receiver in
            try await Hookline.run { hookline in
                let key = try await hookline.account()
                _ = try await hookline.webhook(key: key, url: receiver.url("/ok/crm"), triggers: [.callBegin, .callEnd, .callUpdated, .callConverted], body: Self.body)
                let example = #"{"event": "call_started", "call": {"id": 9001, "from": "+1 555 0100", "recording": "https://rec.example/x.mp3", "amount": 10.5}}"#
                let (_, path) = try await SourcesTests.source(hookline, key: key, kind: "json", options: [
                    "example": .string(example), "id_path": "$.call.id", "event_path": "$.event",
                    "mapping": ["$.call.from": "ani", "$.call.recording": "rec_audiourl", "$.call.amount": "conversion_value"],
                    "events": ["call_started": "call.begin", "call_ended": "call.end", "recording_ready": "call.updated", "sale": "call.converted"],
                ])
                for payload in [
                    #"{"event": "call_started", "call": {"id": 7, "from": "5550100"}}"#, #"{"event": "call_ended", "call": {"id": 7}}"#,
                    #"{"event": "recording_ready", "call": {"id": 7, "recording": "https://rec.example/7.mp3"}}"#,
                    #"{"event": "recording_ready", "call": {"id": 7, "recording": "https://rec.example/7.mp3"}}"#,
                    #"{"event": "sale", "call": {"id": 7, "amount": 99.5}}"#,
                ] {
                    let answer = try await SourcesTests.send(hookline, path, body: payload, type: "application/json")
                    #expect(answer.status == .ok, "\(payload): \(answer.text)")
                }
                try await eventually("four deliveries") { await receiver.recorder.requests(to: "/ok/crm").count == 4 }
                let sent = await receiver.recorder.requests(to: "/ok/crm").compactMap(\.json)
                #expect(sent[2]["link"] == "https://rec.example/7.mp3" && sent[3]["sale"] == 99.5)
                let timeline = try await hookline.call(.get, "/v1/calls/7/events", key: key)
                #expect(timeline["data"]?.arrayValue?.map { $0["kind"] } == ["call.begin", "call.end", "call.updated", "call.converted"], "a resend is nothing new")
            }
        }
    }

    @Test func aCallGrowsNoLargerThanAMebibyteThroughUpdates() async throws {
        try await Hookline.run(runsWorkers: false) { hookline in
            let key = try await hookline.account()
            let large = String(repeating: "é", count: 200_000)
            try await hookline.call(.post, "/v1/calls", key: key, json: ["callid": "c1", "utm_source": .string(large)])
            #expect(try await hookline.call(.patch, "/v1/calls/c1", key: key, json: ["transcript": .string(large)]).status == .ok)
            let refused = try await hookline.call(.patch, "/v1/calls/c1", key: key, json: ["call_note": .string(large)])
            #expect(refused.status == .contentTooLarge && refused.errorField == "body" && refused.errorMessage?.contains("1024 KiB") == true, "\(refused.text.prefix(300))")
            #expect(try await hookline.call(.post, "/v1/conversions", key: key, json: ["call_id": "c1", "conversion_name": .string(large)]).status == .contentTooLarge)
            let call = try await hookline.call(.get, "/v1/calls/c1", key: key)
            #expect(call["version"] == 2 && call["values"]?["call_note"] == nil, "nothing of a refused update is stored")
            // Clearing what is no longer needed makes room again.
            #expect(try await hookline.call(.patch, "/v1/calls/c1", key: key, json: ["transcript": nil, "call_note": .string(large)]).status == .ok)
        }
    }
}
