import HooklineCore
import Hummingbird
import Testing

/// Every route's bad inputs get a 4xx whose JSON names the field at fault.
@Suite struct BadInputTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var method: HTTPRequest.Method
        var path: String
        var body: String?
        var status: HTTPResponse.Status
        var field: String?
        var admin = false
        var testDescription: String { "\(method) \(path) \(body ?? "")" }
    }

    static let webhook = #""name": "x", "url": "http://127.0.0.1:9/x", "triggers": ["call.begin"], "template": {"format": "json", "body": "{}"}"#

    static let cases: [Case] = [
        // Accounts
        Case(method: .post, path: "/v1/accounts", body: #"{}"#, status: .badRequest, field: "name", admin: true),
        Case(method: .post, path: "/v1/accounts", body: #"{"name": 5}"#, status: .badRequest, field: "name", admin: true),
        Case(method: .post, path: "/v1/accounts", body: #"{"name": "a", "plan": "gold"}"#, status: .badRequest, field: "plan", admin: true),
        Case(method: .post, path: "/v1/accounts", body: "not json", status: .badRequest, field: "body", admin: true),
        // Calls
        Case(method: .post, path: "/v1/calls", body: "{\"ani\": ", status: .badRequest, field: "body"),
        Case(method: .post, path: "/v1/calls", body: "", status: .badRequest, field: "body"),
        Case(method: .post, path: "/v1/calls", body: "[]", status: .badRequest, field: "body"),
        Case(method: .post, path: "/v1/calls", body: #"{"caller": "1"}"#, status: .badRequest, field: "caller"),
        Case(method: .post, path: "/v1/calls", body: #"{"call_start_time": "yesterday"}"#, status: .badRequest, field: "call_start_time"),
        Case(method: .post, path: "/v1/calls", body: #"{"repeat_caller": "yes"}"#, status: .badRequest, field: "repeat_caller"),
        Case(method: .post, path: "/v1/calls", body: #"{"dialstatus": "ANSWER"}"#, status: .badRequest, field: "dialstatus"),
        Case(method: .post, path: "/v1/calls", body: #"{"callid": ""}"#, status: .badRequest, field: "callid"),
        Case(method: .post, path: "/v1/calls", body: #"{"callid": "a/b"}"#, status: .badRequest, field: "callid"),
        Case(method: .post, path: "/v1/calls", body: #"{"callid": "existing"}"#, status: .conflict),
        Case(method: .post, path: "/v1/calls/unknown/end", body: #"{"dialstatus": "ANSWER"}"#, status: .notFound),
        Case(method: .post, path: "/v1/calls/existing/end", body: #"{"dialstatus": "HUNG_UP"}"#, status: .badRequest, field: "dialstatus"),
        Case(method: .post, path: "/v1/calls/existing/end", body: #"{"answered_time": "29"}"#, status: .badRequest, field: "answered_time"),
        Case(method: .post, path: "/v1/calls/existing/end", body: #"{"callid": "other"}"#, status: .unprocessableContent, field: "callid"),
        Case(method: .post, path: "/v1/calls/existing/end", body: #"{"lead_name": "x"}"#, status: .badRequest, field: "lead_name"),
        Case(method: .get, path: "/v1/calls/unknown", status: .notFound),
        Case(method: .get, path: "/v1/calls?limit=0", status: .badRequest, field: "limit"),
        Case(method: .get, path: "/v1/calls?limit=abc", status: .badRequest, field: "limit"),
        // Leads and messages
        Case(method: .post, path: "/v1/leads", body: #"{"lead_kind": "fax"}"#, status: .badRequest, field: "lead_kind"),
        Case(method: .post, path: "/v1/leads", body: #"{"lead_data": "page=x"}"#, status: .badRequest, field: "lead_data"),
        Case(method: .post, path: "/v1/leads", body: #"{"dialstatus": "ANSWER"}"#, status: .badRequest, field: "dialstatus"),
        Case(method: .get, path: "/v1/leads/unknown", status: .notFound),
        Case(method: .get, path: "/v1/leads?limit=501", status: .badRequest, field: "limit"),
        Case(method: .post, path: "/v1/messages", body: #"{"message_text": "hi"}"#, status: .badRequest, field: "lead_id"),
        Case(method: .post, path: "/v1/messages", body: #"{"lead_id": "unknown", "message_text": "hi"}"#, status: .notFound),
        Case(method: .post, path: "/v1/messages", body: #"{"lead_id": "L1", "message_kind": "fax"}"#, status: .badRequest, field: "message_kind"),
        Case(method: .post, path: "/v1/messages", body: #"{"lead_id": "L1", "ani": "1"}"#, status: .badRequest, field: "ani"),
        // Webhooks
        Case(method: .post, path: "/v1/webhooks", body: "{" + webhook.replacingOccurrences(of: "http://127.0.0.1:9/x", with: "ftp://x") + "}", status: .badRequest, field: "url"),
        Case(method: .post, path: "/v1/webhooks", body: "{" + webhook + #", "method": "TRACE"}"#, status: .badRequest, field: "method"),
        Case(method: .post, path: "/v1/webhooks", body: "{" + webhook + #", "success_codes": [99]}"#, status: .badRequest, field: "success_codes[0]"),
        Case(method: .post, path: "/v1/webhooks", body: "{" + webhook + #", "success_codes": [600]}"#, status: .badRequest, field: "success_codes[0]"),
        Case(method: .post, path: "/v1/webhooks", body: "{" + webhook.replacingOccurrences(of: #""triggers": ["call.begin"]"#, with: #""triggers": []"#) + "}", status: .badRequest, field: "triggers"),
        Case(method: .post, path: "/v1/webhooks", body: "{" + webhook + #", "headers": {"Host": "x"}}"#, status: .unprocessableContent, field: "headers.Host"),
        Case(method: .post, path: "/v1/webhooks", body: "{" + webhook + #", "retry": {"schedule": [-1]}}"#, status: .badRequest, field: "retry.schedule[0]"),
        Case(method: .post, path: "/v1/webhooks", body: "{" + webhook + #", "retry": {"max_age": 0}}"#, status: .badRequest, field: "retry.max_age"),
        Case(method: .post, path: "/v1/webhooks", body: "{" + webhook.replacingOccurrences(of: #""body": "{}""#, with: #""body": "{\"a\": }""#) + "}", status: .unprocessableContent, field: "template.body"),
        Case(method: .post, path: "/v1/webhooks", body: "{" + webhook.replacingOccurrences(of: #""body": "{}""#, with: #""body": "{\"a\": \"%anii%\"}""#) + "}", status: .unprocessableContent, field: "template.body"),
        Case(method: .post, path: "/v1/webhooks", body: "{" + webhook.replacingOccurrences(of: #""format": "json""#, with: #""format": "csv""#) + "}", status: .badRequest, field: "template.format"),
        Case(method: .post, path: "/v1/webhooks", body: #"{"name": "x"}"#, status: .badRequest, field: "url"),
        Case(method: .post, path: "/v1/webhooks", body: "{" + webhook + #", "secret": "x"}"#, status: .badRequest, field: "secret"),
        Case(method: .post, path: "/v1/webhooks", body: "{" + webhook + #", "max_in_flight": 0}"#, status: .badRequest, field: "max_in_flight"),
        Case(method: .post, path: "/v1/webhooks", body: "{" + webhook + #", "probe_interval": 0}"#, status: .badRequest, field: "probe_interval"),
        Case(method: .post, path: "/v1/webhooks", body: "{" + webhook + #", "timeouts": {"total": 500}}"#, status: .badRequest, field: "timeouts.total"),
        Case(method: .post, path: "/v1/webhooks", body: "{" + webhook + #", "timeouts": {"read": 5}}"#, status: .badRequest, field: "timeouts.read"),
        Case(method: .post, path: "/v1/webhooks", body: "{" + webhook + #", "signing": "yes"}"#, status: .badRequest, field: "signing"),
        Case(method: .post, path: "/v1/webhooks", body: "{" + webhook + #", "auth": {"type": "digest"}}"#, status: .badRequest, field: "auth.type"),
        Case(method: .post, path: "/v1/webhooks", body: "{" + webhook + #", "auth": {"type": "basic", "username": "u"}}"#, status: .badRequest, field: "auth.password"),
        Case(method: .post, path: "/v1/webhooks", body: "{" + webhook + #", "auth": {"type": "bearer", "token": "a\nb"}}"#, status: .badRequest, field: "auth.token"),
        Case(method: .post, path: "/v1/webhooks/unknown/rotate-secret", status: .notFound),
        Case(method: .get, path: "/v1/webhooks/unknown", status: .notFound),
        Case(method: .patch, path: "/v1/webhooks/unknown", body: #"{"enabled": false}"#, status: .notFound),
        Case(method: .patch, path: "/v1/webhooks/EXISTING", body: #"{"enabled": "no"}"#, status: .badRequest, field: "enabled"),
        Case(method: .patch, path: "/v1/webhooks/EXISTING", body: #"{"url": "javascript:alert(1)"}"#, status: .badRequest, field: "url"),
        Case(method: .delete, path: "/v1/webhooks/unknown", status: .notFound),
        // Formats, presets, answers and routing on webhooks
        Case(method: .post, path: "/v1/webhooks", body: "{" + webhook.replacingOccurrences(of: #""format": "json", "body": "{}""#, with: #""format": "xml", "body": "<a>\n<b></a>""#) + "}", status: .unprocessableContent, field: "template.body"),
        Case(method: .post, path: "/v1/webhooks", body: "{" + webhook.replacingOccurrences(of: #""format": "json", "body": "{}""#, with: #""format": "form", "body": "a=%callid%&oops""#) + "}", status: .unprocessableContent, field: "template.body"),
        Case(method: .post, path: "/v1/webhooks", body: "{" + webhook.replacingOccurrences(of: #""format": "json", "body": "{}""#, with: #""format": "xml", "body": "<a>%calid%</a>""#) + "}", status: .unprocessableContent, field: "template.body"),
        Case(method: .post, path: "/v1/webhooks", body: "{" + webhook.replacingOccurrences(of: #""body": "{}""#, with: #""body": "{\"a\": \"%callid|loud%\"}""#) + "}", status: .unprocessableContent, field: "template.body"),
        Case(method: .post, path: "/v1/webhooks", body: "{" + webhook + #", "method": "GET"}"#, status: .unprocessableContent, field: "method"),
        Case(method: .post, path: "/v1/webhooks", body: "{" + webhook + #", "headers": {"X-Call": "%calid%"}}"#, status: .unprocessableContent, field: "headers"),
        Case(method: .post, path: "/v1/webhooks", body: #"{"name": "x", "url": "http://127.0.0.1:9/x", "preset": "roistat.crm"}"#, status: .badRequest, field: "preset.name"),
        Case(method: .post, path: "/v1/webhooks", body: #"{"name": "x", "url": "http://127.0.0.1:9/x", "preset": "roistat.crm.lead"}"#, status: .unprocessableContent, field: "preset.user"),
        Case(method: .post, path: "/v1/webhooks", body: #"{"name": "x", "url": "http://127.0.0.1:9/x", "preset": {"name": "envybox", "colour": "red"}}"#, status: .unprocessableContent, field: "preset.colour"),
        Case(method: .post, path: "/v1/webhooks", body: #"{"name": "x", "url": "http://127.0.0.1:9/x", "preset": "roistat.call", "method": "GET"}"#, status: .unprocessableContent, field: "method"),
        Case(method: .post, path: "/v1/webhooks", body: #"{"name": "x", "url": "http://127.0.0.1:9/x", "preset": "roistat.call", "triggers": ["lead.created"]}"#, status: .unprocessableContent, field: "triggers[0]"),
        Case(method: .post, path: "/v1/webhooks", body: "{" + webhook + #", "preset": "envybox"}"#, status: .unprocessableContent, field: "preset"),
        Case(method: .post, path: "/v1/webhooks", body: #"{"name": "x", "url": "http://127.0.0.1:9/x", "triggers": ["call.begin"], "template": {"id": "tpl_none"}}"#, status: .unprocessableContent, field: "template.id"),
        Case(method: .post, path: "/v1/webhooks", body: "{" + webhook + #", "answer_rule": {"path": "$..status", "equals": "ok"}}"#, status: .unprocessableContent, field: "answer_rule.path"),
        Case(method: .post, path: "/v1/webhooks", body: "{" + webhook + #", "answer_rule": {"path": "$.status"}}"#, status: .badRequest, field: "answer_rule.equals"),
        Case(method: .post, path: "/v1/webhooks", body: "{" + webhook + #", "capture": {"$.order_id[": "order_id"}}"#, status: .unprocessableContent, field: "capture.$.order_id["),
        Case(method: .post, path: "/v1/webhooks", body: "{" + webhook + #", "capture": {"$.order_id": "order"}}"#, status: .unprocessableContent, field: "capture.$.order_id"),
        Case(method: .post, path: "/v1/webhooks", body: "{" + webhook + #", "placements": [{"campaign": "cmp_unknown", "moment": "end"}]}"#, status: .unprocessableContent, field: "placements[0].campaign"),
        Case(method: .post, path: "/v1/webhooks", body: "{" + webhook + #", "placements": [{"location": "loc_unknown", "moment": "end"}]}"#, status: .unprocessableContent, field: "placements[0].location"),
        Case(method: .post, path: "/v1/webhooks", body: "{" + webhook + #", "placements": [{"campaign": "OFFLINE"}]}"#, status: .badRequest, field: "placements[0].moment"),
        Case(method: .post, path: "/v1/webhooks", body: "{" + webhook + #", "placements": [{"moment": "end"}]}"#, status: .badRequest, field: "placements[0]"),
        Case(method: .post, path: "/v1/webhooks", body: "{" + webhook + #", "scope": "everything"}"#, status: .badRequest, field: "scope"),
        Case(method: .post, path: "/v1/webhooks", body: "{" + webhook + #", "scope": {"campaigns": ["cmp_unknown"]}}"#, status: .unprocessableContent, field: "scope"),
        Case(method: .post, path: "/v1/webhooks", body: "{" + webhook + #", "scope": {"campuses": []}}"#, status: .badRequest, field: "scope.campuses"),
        Case(method: .post, path: "/v1/campaigns/OFFLINE/webhooks", body: "{}", status: .badRequest, field: "webhook_id"),
        Case(method: .post, path: "/v1/campaigns/OFFLINE/webhooks", body: #"{"webhook_id": "wh_none", "moment": "end"}"#, status: .unprocessableContent, field: "webhook_id"),
        Case(method: .post, path: "/v1/campaigns/OFFLINE/webhooks", body: #"{"webhook_id": "EXISTING"}"#, status: .badRequest, field: "moment"),
        Case(method: .post, path: "/v1/campaigns/OFFLINE/webhooks", body: #"{"webhook_id": "EXISTING", "moment": "middle"}"#, status: .badRequest, field: "moment"),
        Case(method: .post, path: "/v1/campaigns/OFFLINE/webhooks", body: #"{"webhook_id": "EXISTING", "moment": "end", "when": 1}"#, status: .badRequest, field: "when"),
        Case(method: .post, path: "/v1/campaigns/cmp_none/webhooks", body: #"{"webhook_id": "EXISTING", "moment": "end"}"#, status: .notFound),
        Case(method: .delete, path: "/v1/campaigns/OFFLINE/webhooks/EXISTING?moment=middle", status: .badRequest, field: "moment"),
        Case(method: .delete, path: "/v1/locations/loc_none/webhooks/EXISTING", status: .notFound),
        Case(method: .post, path: "/v1/treatment-options/webhooks", body: #"{"question": "Department", "response": "Sales", "webhook_id": "EXISTING", "moment": "beginning"}"#, status: .unprocessableContent, field: "moment"),
        Case(method: .post, path: "/v1/treatment-options/webhooks", body: #"{"question": " ", "response": "Sales", "webhook_id": "EXISTING"}"#, status: .badRequest, field: "question"),
        Case(method: .post, path: "/v1/treatment-options/webhooks", body: #"{"question": "Department\u0007", "response": "Sales", "webhook_id": "EXISTING"}"#, status: .badRequest, field: "question"),
        Case(method: .delete, path: "/v1/treatment-options/webhooks/EXISTING?question=Department", status: .badRequest, field: "response"),
        Case(method: .get, path: "/v1/webhooks/wh_none/placements", status: .notFound),
        Case(method: .post, path: "/v1/webhooks", body: "{" + webhook + #", "conditions": [{"token": "dialstatus", "op": "in", "value": ["PICKED_UP"]}]}"#, status: .unprocessableContent, field: "conditions[0].value"),
        Case(method: .post, path: "/v1/webhooks", body: "{" + webhook + #", "conditions": [{"token": "answerd_time", "op": "gte", "value": 30}]}"#, status: .unprocessableContent, field: "conditions[0].token"),
        Case(method: .post, path: "/v1/webhooks", body: "{" + webhook + #", "first_call_only": 1}"#, status: .badRequest, field: "first_call_only"),
        Case(method: .post, path: "/v1/webhooks/EXISTING/test", body: #"{"kind": "call.middle"}"#, status: .badRequest, field: "kind"),
        Case(method: .post, path: "/v1/webhooks/EXISTING/test", body: #"{"call_id": "unknown"}"#, status: .unprocessableContent, field: "call_id"),
        Case(method: .post, path: "/v1/webhooks/EXISTING/test", body: "{", status: .badRequest, field: "body"),
        Case(method: .post, path: "/v1/webhooks/unknown/test", status: .notFound),
        // Templates
        Case(method: .post, path: "/v1/templates", body: #"{"name": "t", "format": "json", "body": "{\"a\": "}"#, status: .unprocessableContent, field: "body"),
        Case(method: .post, path: "/v1/templates", body: #"{"name": "t", "format": "xml", "body": "<a><b></a>"}"#, status: .unprocessableContent, field: "body"),
        Case(method: .post, path: "/v1/templates", body: #"{"name": "t", "format": "yaml", "body": "a: 1"}"#, status: .badRequest, field: "format"),
        Case(method: .post, path: "/v1/templates", body: #"{"format": "json", "body": "{}"}"#, status: .badRequest, field: "name"),
        Case(method: .post, path: "/v1/templates", body: #"{"name": "t", "format": "json", "example": "{\"a\": 1}", "mapping": {"$.b": "ani"}}"#, status: .unprocessableContent, field: "mapping.$.b"),
        Case(method: .post, path: "/v1/templates", body: #"{"name": "t", "format": "json", "example": "{\"a\": 1}", "mapping": {"$.a": "anni"}}"#, status: .unprocessableContent, field: "mapping.$.a"),
        Case(method: .post, path: "/v1/templates", body: #"{"name": "t", "format": "json", "example": "{\"a\": 1}"}"#, status: .unprocessableContent, field: "mapping"),
        Case(method: .post, path: "/v1/templates/extract", body: #"{"format": "json", "example": "{\"a\": "}"#, status: .unprocessableContent, field: "example"),
        Case(method: .post, path: "/v1/templates/extract", body: #"{"format": "form", "example": "a=1"}"#, status: .unprocessableContent, field: "example"),
        Case(method: .post, path: "/v1/templates/extract", body: #"{"format": "xml"}"#, status: .badRequest, field: "example"),
        Case(method: .get, path: "/v1/templates/unknown", status: .notFound),
        Case(method: .patch, path: "/v1/templates/unknown", body: #"{"name": "x"}"#, status: .notFound),
        Case(method: .delete, path: "/v1/templates/unknown", status: .notFound),
        // Locations and campaigns
        Case(method: .post, path: "/v1/locations", body: #"{"location_address_city": "LA"}"#, status: .badRequest, field: "location_name"),
        Case(method: .post, path: "/v1/locations", body: #"{"location_name": "Main", "ani": "1"}"#, status: .badRequest, field: "ani"),
        Case(method: .post, path: "/v1/locations", body: #"{"location_name": ""}"#, status: .badRequest, field: "location_name"),
        Case(method: .get, path: "/v1/locations/unknown", status: .notFound),
        Case(method: .post, path: "/v1/campaigns", body: #"{"name": "c"}"#, status: .badRequest, field: "kind"),
        Case(method: .post, path: "/v1/campaigns", body: #"{"name": "c", "kind": "tv"}"#, status: .badRequest, field: "kind"),
        Case(method: .post, path: "/v1/campaigns", body: #"{"name": "c", "kind": "dni", "location": "loc_unknown"}"#, status: .unprocessableContent, field: "location"),
        Case(method: .post, path: "/v1/campaigns", body: #"{"name": "c", "kind": "dni", "tracking_numbers": ["12"]}"#, status: .badRequest, field: "tracking_numbers[0]"),
        Case(method: .post, path: "/v1/campaigns", body: #"{"name": "c", "kind": "dni", "tags": {"a": [1]}}"#, status: .badRequest, field: "tags.a"),
        Case(method: .post, path: "/v1/campaigns", body: #"{"name": "c", "kind": "dni", "tracking_numbers": ["(777) 483-9229"]}"#, status: .conflict),
        Case(method: .delete, path: "/v1/campaigns/OFFLINE", status: .conflict),
        Case(method: .post, path: "/v1/calls", body: #"{"campaign": "cmp_unknown"}"#, status: .unprocessableContent, field: "campaign"),
        Case(method: .post, path: "/v1/leads", body: #"{"location": "loc_unknown"}"#, status: .unprocessableContent, field: "location"),
        // Deliveries
        Case(method: .get, path: "/v1/deliveries?status=sent", status: .badRequest, field: "status"),
        Case(method: .get, path: "/v1/deliveries?call_id=a&lead_id=b", status: .unprocessableContent, field: "lead_id"),
        Case(method: .get, path: "/v1/deliveries?cursor=", status: .badRequest, field: "cursor"),
        Case(method: .get, path: "/v1/deliveries/unknown", status: .notFound),
        Case(method: .post, path: "/v1/deliveries/unknown/replay", status: .notFound),
        // Unknown routes
        Case(method: .get, path: "/v1/nothing-here", status: .notFound),
    ]

    @Test func everyBadInputIsRefusedNamingItsField() async throws {
        try await Hookline.run { hookline in
            let key = try await hookline.account()
            try await hookline.call(.post, "/v1/calls", key: key, json: ["callid": "existing"])
            try await hookline.call(.post, "/v1/leads", key: key, json: ["lead_id": "L1"])
            let campaign = try await hookline.call(.post, "/v1/campaigns", key: key, json: ["name": "Radio", "kind": "offline", "tracking_numbers": ["7774839229"]])
            let offline = try #require(campaign["id"]?.stringValue)
            let webhook = try await hookline.webhook(key: key, url: "http://127.0.0.1:9/x", extra: ["placements": [["campaign": .string(offline), "moment": "end"]]])
            for testCase in Self.cases {
                let path = testCase.path.replacingOccurrences(of: "EXISTING", with: webhook).replacingOccurrences(of: "OFFLINE", with: offline)
                let body = testCase.body?.replacingOccurrences(of: "OFFLINE", with: offline)
                let answer = try await hookline.call(testCase.method, path, key: testCase.admin ? Hookline.adminKey : key, body: body)
                #expect(answer.status == testCase.status, "\(testCase.testDescription): \(answer.text)")
                #expect(answer.errorMessage?.isEmpty == false, "\(testCase.testDescription): \(answer.text)")
                if let field = testCase.field {
                    #expect(answer.errorField == field, "\(testCase.testDescription): \(answer.text)")
                }
            }
            // Nothing that was refused left a trace.
            #expect(try await hookline.call(.get, "/v1/calls", key: key)["data"]?.arrayValue?.count == 1)
            #expect(try await hookline.call(.get, "/v1/webhooks", key: key)["data"]?.arrayValue?.count == 1)
            #expect(try await hookline.call(.get, "/v1/templates", key: key)["data"]?.arrayValue?.count == 0)
            #expect(try await hookline.call(.get, "/v1/locations", key: key)["data"]?.arrayValue?.count == 0)
            #expect(try await hookline.call(.get, "/v1/campaigns", key: key)["data"]?.arrayValue?.count == 1)
            #expect(try await hookline.call(.get, "/v1/webhooks/\(webhook)", key: key)["enabled"] == true)
        }
    }
}
