import Foundation
import HooklineCore
import Hummingbird
import Testing

/// Presets, answer rules and captures, templates as objects, and routing by campaign, location,
/// call treatment, conditions and first call, end to end against a real receiver.
@Suite struct CallTrackingTests {
    @Test func roistatCRMIsRetriedUntilOkAndItsOrderIDRendersInLaterWebhooks() async throws {
        try await Receiver.run { receiver in
            try await Hookline.run { hookline in
                let key = try await hookline.account()
                let crm = try await hookline.call(.post, "/v1/webhooks", key: key, json: [
                    "name": "Roistat CRM", "url": .string(receiver.url("/crm/2/lead")), "triggers": ["call.begin"],
                    "preset": ["name": "roistat.crm.lead", "user": "1", "password": "1"], "retry": ["schedule": [0, 0.2], "max_age": 60],
                ])
                #expect(crm.status == .created, "\(crm.text)")
                #expect(crm["method"] == "GET" && crm["first_call_only"] == true && crm["preset"] == ["name": "roistat.crm.lead", "user": "1"])
                _ = try await hookline.webhook(key: key, url: receiver.url("/ok/after"), triggers: [.callEnd], body: #"{"order": "%order_id%", "id": "%callid%"}"#)

                try await hookline.call(.post, "/v1/calls", key: key, json: ["callid": "c1", "ani": "11230001122", "tracking": "18005550100"])
                try await eventually("the CRM accepted the lead") { await receiver.recorder.requests(to: "/crm/").count == 3 }
                let sent = await receiver.recorder.requests(to: "/crm/")
                #expect(sent.allSatisfy { $0.method == "GET" && $0.body.isEmpty })
                let parameters = Dictionary(uniqueKeysWithValues: FormEncoding.query.decode(sent[0].query).map { ($0.name, $0.value) })
                #expect(parameters["action"] == "lead" && parameters["id"] == "c1" && parameters["token"] == "6512bd43d9caa6e02c990b0a82652dca")
                #expect(parameters["title"] == "Incoming call from 11230001122")
                // The same request every time, until the answer says ok.
                #expect(Set(sent.map(\.query)).count == 1)
                try await eventually("order_id kept on the call") {
                    try await hookline.call(.get, "/v1/calls/c1", key: key)["captured"] == ["order_id": "deal-42"]
                }
                let crmDelivery = try #require(try await hookline.deliveries(key: key, query: "?webhook_id=\(crm["id"]!.stringValue!)").first)
                let detail = try await hookline.delivery(key: key, crmDelivery["id"]!.stringValue!)
                #expect(detail["status"] == "delivered")
                #expect(detail["attempts"]?.arrayValue?.first?["error_kind"] == "answer")

                try await hookline.call(.post, "/v1/calls/c1/end", key: key, json: ["dialstatus": "ANSWER"])
                try await eventually("the after-call webhook") { await receiver.recorder.requests(to: "/ok/after").count == 1 }
                #expect(await receiver.recorder.requests(to: "/ok/after").first?.json == ["order": "deal-42", "id": "c1"])

                // A second call from the same number is not a first call: Roistat's CRM is not told.
                let second = try await hookline.call(.post, "/v1/calls", key: key, json: ["callid": "c2", "ani": "+1 123 000 1122"])
                #expect(second["deliveries"]?.arrayValue?.isEmpty == true)
                #expect(try await hookline.call(.get, "/v1/calls/c2", key: key)["values"]?["repeat_caller"] == 1)
                #expect(try await hookline.call(.get, "/v1/calls/c1", key: key)["values"]?["repeat_caller"] == 0)
            }
        }
    }

    @Test func callsAreRoutedByCampaignLocationTreatmentAndConditions() async throws {
        try await Receiver.run { receiver in
            try await Hookline.run { hookline in
                let key = try await hookline.account()
                let location = try await hookline.call(.post, "/v1/locations", key: key, json: [
                    "location_name": "Downtown", "location_address_city": "Los Angeles", "location_id": "3242243",
                ])
                #expect(location.status == .created, "\(location.text)")
                let locationID = try #require(location["id"]?.stringValue)
                let radio = try await hookline.call(.post, "/v1/campaigns", key: key, json: [
                    "name": "Radio spring", "kind": "offline", "tags": ["Region": "south"], "location": .string(locationID),
                    "tracking_numbers": ["(777) 483-9229"],
                ])
                #expect(radio.status == .created, "\(radio.text)")
                let radioID = try #require(radio["id"]?.stringValue)
                let web = try await hookline.call(.post, "/v1/campaigns", key: key, json: ["name": "Web", "kind": "dni", "tracking_numbers": ["7770000001"]])
                let webID = try #require(web["id"]?.stringValue)

                let body = #"{"campaign": "%campaign_name%", "tags": "%tags%", "city": "%location_address_city%", "store": "%location_id%"}"#
                _ = try await hookline.webhook(key: key, url: receiver.url("/ok/radio"), triggers: [.callBegin], body: body, extra: ["placements": [["campaign": .string(radioID), "moment": "beginning"]]])
                _ = try await hookline.webhook(key: key, url: receiver.url("/ok/web"), triggers: [.callBegin], body: body, extra: ["placements": [["campaign": .string(webID), "moment": "beginning"]]])
                _ = try await hookline.webhook(key: key, url: receiver.url("/ok/downtown"), triggers: [.callBegin], body: body, extra: ["placements": [["location": .string(locationID), "moment": "beginning"]]])
                _ = try await hookline.webhook(key: key, url: receiver.url("/ok/sales"), triggers: [.callEnd], body: #"{"id": "%callid%"}"#, extra: [
                    "placements": [["treatment": ["question": "Department", "response": "Sales"], "moment": "end"]],
                    "conditions": [["token": "dialstatus", "op": "in", "value": ["ANSWER"]], ["token": "answered_time", "op": "gte", "value": 30]],
                ])

                try await hookline.call(.post, "/v1/calls", key: key, json: ["callid": "r1", "tracking": "777-483-9229", "ani": "5550001"])
                try await eventually("the radio and location webhooks") {
                    let radio = await receiver.recorder.requests(to: "/ok/radio").count
                    let downtown = await receiver.recorder.requests(to: "/ok/downtown").count
                    return radio == 1 && downtown == 1
                }
                let expected: JSONValue = ["campaign": "Radio spring", "tags": ["Region": "south"], "city": "Los Angeles", "store": "3242243"]
                #expect(await receiver.recorder.requests(to: "/ok/radio").first?.json == expected)
                let call = try await hookline.call(.get, "/v1/calls/r1", key: key)
                #expect(call["campaign"] == .string(radioID) && call["location"] == .string(locationID))

                let sales: JSONValue = [["question": "Department", "response": "Sales"]]
                try await hookline.call(.post, "/v1/calls/r1/end", key: key, json: ["dialstatus": "ANSWER", "answered_time": 45, "prompt_responses": sales])
                try await hookline.call(.post, "/v1/calls", key: key, json: ["callid": "r2", "tracking": "7774839229"])
                try await hookline.call(.post, "/v1/calls/r2/end", key: key, json: ["dialstatus": "ANSWER", "answered_time": 10, "prompt_responses": sales])
                try await hookline.call(.post, "/v1/calls", key: key, json: ["callid": "r3", "tracking": "7774839229"])
                try await hookline.call(.post, "/v1/calls/r3/end", key: key, json: [
                    "dialstatus": "ANSWER", "answered_time": 60, "prompt_responses": [["question": "Department", "response": "Service"]],
                ])
                try await hookline.call(.post, "/v1/calls", key: key, json: ["callid": "w1", "tracking": "7770000001", "campaign_name": "Sent by source"])
                try await eventually("the DNI webhook") { await receiver.recorder.requests(to: "/ok/web").count == 1 }
                #expect(await receiver.recorder.requests(to: "/ok/web").first?.json?["campaign"] == "Sent by source")
                try await eventually("radio calls") { await receiver.recorder.requests(to: "/ok/radio").count == 3 }
                // Only the answered Sales call of 30 s or more.
                try await eventually("the Sales webhook") { await receiver.recorder.requests(to: "/ok/sales").count == 1 }
                #expect(await receiver.recorder.requests(to: "/ok/sales").first?.json == ["id": "r1"])
                #expect(try await hookline.deliveries(key: key).count == 3 + 1 + 3 + 1)
                // A campaign or location a webhook is enabled on cannot be deleted from under it.
                #expect(try await hookline.call(.delete, "/v1/campaigns/\(radioID)", key: key).status == .conflict)
                #expect(try await hookline.call(.delete, "/v1/locations/\(locationID)", key: key).status == .conflict)
            }
        }
    }

    @Test func templatesAreObjectsAWebhookNamesAndEveryFormatIsDelivered() async throws {
        try await Receiver.run { receiver in
            try await Hookline.run { hookline in
                let key = try await hookline.account()
                let example = #"<lead><first>Freddy</first><last>Krueger</last><phone>7776734736</phone></lead>"#
                let fields = try await hookline.call(.post, "/v1/templates/extract", key: key, json: ["format": "xml", "example": .string(example)])
                #expect(fields["fields"]?.arrayValue?.map { $0["path"]! } == ["/lead/first", "/lead/last", "/lead/phone"])
                let created = try await hookline.call(.post, "/v1/templates", key: key, json: [
                    "name": "CRM lead", "group": "dealers", "format": "xml", "example": .string(example),
                    "mapping": ["/lead/first": "ani_first_name", "/lead/last": "ani_last_name", "/lead/phone": "ani"],
                ])
                #expect(created.status == .created, "\(created.text)")
                #expect(created["body"] == "<lead><first>%ani_first_name%</first><last>%ani_last_name%</last><phone>%ani%</phone></lead>")
                let templateID = try #require(created["id"]?.stringValue)
                #expect(try await hookline.call(.get, "/v1/templates?group=dealers", key: key)["data"]?.arrayValue?.count == 1)
                #expect(try await hookline.call(.get, "/v1/templates?group=other", key: key)["data"]?.arrayValue?.count == 0)

                let xml = try await hookline.call(.post, "/v1/webhooks", key: key, json: [
                    "name": "xml", "url": .string(receiver.url("/ok/xml")), "triggers": ["call.begin"], "template": ["id": .string(templateID)],
                ])
                #expect(xml.status == .created, "\(xml.text)")
                _ = try await hookline.webhook(key: key, url: receiver.url("/ok/form"), triggers: [.callBegin], extra: [
                    "template": ["format": "form", "body": "phone=%ani%\nname=%ani_full_name%\ntags=%tags%"], "headers": ["X-Call": "%callid%"],
                ])
                _ = try await hookline.webhook(key: key, url: receiver.url("/ok/query?site=1"), triggers: [.callBegin], extra: [
                    "method": "GET", "template": ["format": "query", "body": "id=%callid%&name=%ani_full_name%"],
                ])
                // A change to the template reaches the webhook that names it.
                let changed = try await hookline.call(.patch, "/v1/templates/\(templateID)", key: key, json: [
                    "body": "<lead><name>%ani_first_name% %ani_last_name%</name><phone>%ani%</phone></lead>",
                ])
                #expect(changed.status == .ok, "\(changed.text)")
                #expect(try await hookline.call(.get, "/v1/webhooks/\(xml["id"]!.stringValue!)", key: key)["template"]?["body"] == changed["body"])
                #expect(try await hookline.call(.delete, "/v1/templates/\(templateID)", key: key).status == .conflict)
                // The webhook as shown can be sent back; a body that differs from the saved template is refused.
                let shown = try await hookline.call(.get, "/v1/webhooks/\(xml["id"]!.stringValue!)", key: key)
                let resent = try await hookline.call(.patch, "/v1/webhooks/\(xml["id"]!.stringValue!)", key: key, json: ["template": shown["template"]!])
                #expect(resent.status == .ok, "\(resent.text)")
                let edited = try await hookline.call(.patch, "/v1/webhooks/\(xml["id"]!.stringValue!)", key: key, json: [
                    "template": ["id": .string(templateID), "format": "xml", "body": "<other/>"],
                ])
                #expect(edited.status == .badRequest && edited.errorField == "template.body")

                try await hookline.call(.post, "/v1/calls", key: key, json: [
                    "callid": "x1", "ani": "7776734736", "ani_first_name": "Фредди", "ani_last_name": "O'Neil & <Sons>", "ani_full_name": "Фредди O'Neil",
                    "tags": ["Region": "south"],
                ])
                try await eventually("three formats") {
                    await receiver.recorder.requests(to: "/ok/").count == 3
                }
                let xmlRequest = try #require(await receiver.recorder.requests(to: "/ok/xml").first)
                #expect(xmlRequest.header("content-type") == "application/xml")
                #expect(xmlRequest.body == "<lead><name>Фредди O'Neil &amp; &lt;Sons&gt;</name><phone>7776734736</phone></lead>")
                let form = try #require(await receiver.recorder.requests(to: "/ok/form").first)
                #expect(form.header("content-type") == "application/x-www-form-urlencoded")
                #expect(form.header("x-call") == "x1")
                let pairs = FormEncoding.form.decode(form.body)
                #expect(pairs.map(\.value) == ["7776734736", "Фредди O'Neil", #"{"Region":"south"}"#])
                let query = try #require(await receiver.recorder.requests(to: "/ok/query").first)
                #expect(query.method == "GET" && query.body.isEmpty && query.header("content-type") == nil)
                #expect(FormEncoding.query.decode(query.query).map(\.value) == ["1", "x1", "Фредди O'Neil"])
            }
        }
    }

    @Test func tryItNowSendsAtOnceWithoutTouchingDeliveries() async throws {
        try await Receiver.run { receiver in
            try await Hookline.run { hookline in
                let key = try await hookline.account()
                let webhook = try await hookline.webhook(key: key, url: receiver.url("/ok/try"), body: #"{"id": "%callid%", "status": "%dialstatus%"}"#)
                let answer = try await hookline.call(.post, "/v1/webhooks/\(webhook)/test", key: key)
                #expect(answer.status == .ok, "\(answer.text)")
                #expect(answer["delivered"] == true && answer["kind"] == "call.begin")
                #expect(answer["response"]?["status"] == 200)
                let example = TokenCatalogue.standard.exampleValues
                #expect(try JSONParser.parse(answer["request"]?["body"]?.stringValue ?? "") == ["id": example["callid"]!, "status": example["dialstatus"]!])
                #expect(await receiver.recorder.requests(to: "/ok/try").first?.body == answer["request"]?["body"]?.stringValue)

                try await hookline.call(.post, "/v1/calls", key: key, json: ["callid": "real"])
                try await eventually("the real delivery") { await receiver.recorder.requests(to: "/ok/try").count == 2 }
                let withCall = try await hookline.call(.post, "/v1/webhooks/\(webhook)/test", key: key, json: ["call_id": "real"])
                #expect(withCall["request"]?["body"] == #"{"id":"real","status":null}"#)
                #expect(try await hookline.deliveries(key: key).count == 1)

                let crm = try await hookline.call(.post, "/v1/webhooks", key: key, json: [
                    "name": "crm", "url": .string(receiver.url("/crm/1/try")), "preset": ["name": "roistat.crm.message", "user": "u", "password": "p"],
                ])
                let refused = try await hookline.call(.post, "/v1/webhooks/\(crm["id"]!.stringValue!)/test", key: key)
                #expect(refused["delivered"] == false && refused["error_kind"] == "answer")
                let accepted = try await hookline.call(.post, "/v1/webhooks/\(crm["id"]!.stringValue!)/test", key: key)
                #expect(accepted["delivered"] == true && accepted["captured"] == ["order_id": "deal-42"])
                #expect(accepted["request"]?["method"] == "GET")
                #expect(accepted["request"]?["url"]?.stringValue?.contains("action=message") == true)
                #expect(try await hookline.call(.get, "/v1/presets", key: key)["data"]?.arrayValue?.map { $0["name"]! } == [
                    "roistat.call", "roistat.crm.lead", "roistat.crm.message", "envybox",
                ])
            }
        }
    }
}
