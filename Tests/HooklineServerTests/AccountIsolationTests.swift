import HooklineCore
import Hummingbird
import Testing

/// Every route that changes something, called by another account with this account's ids, changes
/// nothing here.
@Suite struct AccountIsolationTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var method: HTTPRequest.Method
        var path: String
        var body: String?
        var status: HTTPResponse.Status
        var testDescription: String { "\(method) \(path) \(body ?? "")" }
    }

    /// `CALL`, `LEAD`, `WEBHOOK`, `TEMPLATE`, `LOCATION`, `CAMPAIGN` and `DELIVERY` stand for the
    /// first account's objects.
    static let cases: [Case] = [
        Case(method: .post, path: "/v1/calls/CALL/end", body: #"{"dialstatus": "ANSWER"}"#, status: .notFound),
        Case(method: .post, path: "/v1/calls", body: #"{"callid": "b1", "campaign": "CAMPAIGN"}"#, status: .unprocessableContent),
        Case(method: .post, path: "/v1/calls", body: #"{"callid": "b2", "location": "LOCATION"}"#, status: .unprocessableContent),
        Case(method: .post, path: "/v1/leads", body: #"{"lead_id": "b3", "location": "LOCATION"}"#, status: .unprocessableContent),
        Case(method: .post, path: "/v1/messages", body: #"{"lead_id": "LEAD", "message_text": "hi"}"#, status: .notFound),
        Case(method: .patch, path: "/v1/webhooks/WEBHOOK", body: #"{"enabled": false}"#, status: .notFound),
        Case(method: .delete, path: "/v1/webhooks/WEBHOOK", status: .notFound),
        Case(method: .post, path: "/v1/webhooks/WEBHOOK/rotate-secret", status: .notFound),
        Case(method: .post, path: "/v1/webhooks/WEBHOOK/test", body: "{}", status: .notFound),
        Case(method: .post, path: "/v1/webhooks", body: #"{"name": "x", "url": "http://127.0.0.1:9/", "triggers": ["call.begin"], "template": {"id": "TEMPLATE"}}"#, status: .unprocessableContent),
        Case(method: .post, path: "/v1/webhooks", body: #"{"name": "x", "url": "http://127.0.0.1:9/", "triggers": ["call.begin"], "template": {"format": "json", "body": "{}"}, "placements": [{"campaign": "CAMPAIGN", "moment": "end"}]}"#, status: .unprocessableContent),
        Case(method: .post, path: "/v1/webhooks", body: #"{"name": "x", "url": "http://127.0.0.1:9/", "triggers": ["call.begin"], "template": {"format": "json", "body": "{}"}, "placements": [{"location": "LOCATION", "moment": "end"}]}"#, status: .unprocessableContent),
        Case(method: .post, path: "/v1/campaigns/CAMPAIGN/webhooks", body: #"{"webhook_id": "WEBHOOK", "moment": "beginning"}"#, status: .notFound),
        Case(method: .get, path: "/v1/campaigns/CAMPAIGN/webhooks", status: .notFound),
        Case(method: .delete, path: "/v1/campaigns/CAMPAIGN/webhooks/WEBHOOK", status: .notFound),
        Case(method: .post, path: "/v1/locations/LOCATION/webhooks", body: #"{"webhook_id": "WEBHOOK", "moment": "end"}"#, status: .notFound),
        Case(method: .get, path: "/v1/locations/LOCATION/webhooks", status: .notFound),
        Case(method: .delete, path: "/v1/locations/LOCATION/webhooks/WEBHOOK", status: .notFound),
        Case(method: .post, path: "/v1/treatment-options/webhooks", body: #"{"question": "Department", "response": "Sales", "webhook_id": "WEBHOOK"}"#, status: .unprocessableContent),
        Case(method: .delete, path: "/v1/treatment-options/webhooks/WEBHOOK?question=Department&response=Sales", status: .notFound),
        Case(method: .get, path: "/v1/webhooks/WEBHOOK/placements", status: .notFound),
        Case(method: .patch, path: "/v1/templates/TEMPLATE", body: #"{"name": "mine now"}"#, status: .notFound),
        Case(method: .delete, path: "/v1/templates/TEMPLATE", status: .notFound),
        Case(method: .patch, path: "/v1/locations/LOCATION", body: #"{"location_name": "mine now"}"#, status: .notFound),
        Case(method: .delete, path: "/v1/locations/LOCATION", status: .notFound),
        Case(method: .patch, path: "/v1/campaigns/CAMPAIGN", body: #"{"tracking_numbers": []}"#, status: .notFound),
        Case(method: .delete, path: "/v1/campaigns/CAMPAIGN", status: .notFound),
        Case(method: .post, path: "/v1/campaigns", body: #"{"name": "c", "kind": "dni", "location": "LOCATION"}"#, status: .unprocessableContent),
        Case(method: .post, path: "/v1/deliveries/DELIVERY/replay", status: .notFound),
        Case(method: .post, path: "/v1/accounts", body: #"{"name": "x"}"#, status: .unauthorized),
    ]

    /// What the first account can see: every list and every object, as answered.
    static func snapshot(_ hookline: Hookline, key: String, ids: [String: String]) async throws -> [String] {
        var seen: [String] = []
        for list in ["calls", "leads", "webhooks", "templates", "locations", "campaigns", "deliveries", "treatment-options/webhooks"] {
            seen.append(try await hookline.call(.get, "/v1/\(list)", key: key).text)
        }
        for (kind, id) in ids.sorted(by: { $0.key < $1.key }) {
            let path = ["CALL": "calls", "LEAD": "leads", "WEBHOOK": "webhooks", "TEMPLATE": "templates", "LOCATION": "locations", "CAMPAIGN": "campaigns", "DELIVERY": "deliveries"][kind]!
            seen.append(try await hookline.call(.get, "/v1/\(path)/\(id)", key: key).text)
            if kind == "WEBHOOK" { seen.append(try await hookline.call(.get, "/v1/webhooks/\(id)/placements", key: key).text) }
        }
        return seen
    }

    @Test func anotherAccountChangesNothing() async throws {
        try await Hookline.run(runsWorkers: false) { hookline in
            let a = try await hookline.account("A")
            let b = try await hookline.account("B")
            let location = try #require(try await hookline.call(.post, "/v1/locations", key: a, json: ["location_name": "Main"])["id"]?.stringValue)
            let campaign = try #require(
                try await hookline.call(.post, "/v1/campaigns", key: a, json: ["name": "Radio", "kind": "offline", "tracking_numbers": ["7774839229"]])["id"]?.stringValue)
            let template = try #require(
                try await hookline.call(.post, "/v1/templates", key: a, json: ["name": "t", "format": "json", "body": "{}"])["id"]?.stringValue)
            let webhook = try await hookline.webhook(key: a, url: "http://127.0.0.1:9/")
            try await hookline.call(.post, "/v1/calls", key: a, json: ["callid": "c1", "tracking": "7774839229"])
            try await hookline.call(.post, "/v1/leads", key: a, json: ["lead_id": "L1"])
            let delivery = try #require(try await hookline.deliveries(key: a).first?["id"]?.stringValue)
            // A's webhook is enabled on A's campaign, location and a treatment option: B removes none.
            #expect(try await hookline.call(.post, "/v1/campaigns/\(campaign)/webhooks", key: a, json: ["webhook_id": .string(webhook), "moment": "end"]).status == .created)
            #expect(try await hookline.call(.post, "/v1/locations/\(location)/webhooks", key: a, json: ["webhook_id": .string(webhook), "moment": "end"]).status == .created)
            #expect(try await hookline.call(.post, "/v1/treatment-options/webhooks", key: a, json: ["question": "Department", "response": "Sales", "webhook_id": .string(webhook)]).status == .created)
            let ids = ["CALL": "c1", "LEAD": "L1", "WEBHOOK": webhook, "TEMPLATE": template, "LOCATION": location, "CAMPAIGN": campaign, "DELIVERY": delivery]
            let before = try await Self.snapshot(hookline, key: a, ids: ids)

            for testCase in Self.cases {
                var path = testCase.path
                var body = testCase.body
                for (placeholder, id) in ids {
                    path = path.replacingOccurrences(of: placeholder, with: id)
                    body = body?.replacingOccurrences(of: placeholder, with: id)
                }
                let answer = try await hookline.call(testCase.method, path, key: b, body: body)
                #expect(answer.status == testCase.status, "\(testCase.testDescription): \(answer.text)")
                let after = try await Self.snapshot(hookline, key: a, ids: ids)
                #expect(after == before, "\(testCase.testDescription) changed the first account's data")
            }
            // B may use the same tracking number in its own campaign; A's calls to it stay A's.
            let own = try await hookline.call(.post, "/v1/campaigns", key: b, json: ["name": "B radio", "kind": "offline", "tracking_numbers": ["7774839229"]])
            #expect(own.status == .created)
            try await hookline.call(.post, "/v1/calls", key: a, json: ["callid": "c2", "tracking": "7774839229"])
            let call = try await hookline.call(.get, "/v1/calls/c2", key: a)
            #expect(call.text.contains(campaign), "\(call.text)")
        }
    }
}
