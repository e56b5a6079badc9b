import ArgumentParser
import AsyncHTTPClient
import Foundation
import HooklineCore
import NIOCore

extension Demo {
    struct Setup {
        var key: String
        var email: String
        var password: String
        var roistatSource: String
        var envyboxSource: String
        var trackerSource: String
        var location: String
    }

    /// An account with a user, a location, a campaign, a webhook from each preset and a custom
    /// XML template, and sources for Roistat's and Envybox's webhooks and for another tracker's
    /// JSON: all through the API.
    static func setUp(hookline: String, crm: String) async throws -> Setup {
        let account = try await call(hookline, "/v1/accounts", key: adminKey, ["name": "Demo Motors"])
        guard let key = account["api_key"]?.stringValue else { throw CommandFailure("no API key: \(account.jsonText)") }
        let password = "demo-" + UUID().uuidString.prefix(13).lowercased()
        _ = try await call(hookline, "/v1/users", key: key, ["email": "demo@example.com", "password": .string(password), "role": "admin"])
        let location = try await call(hookline, "/v1/locations", key: key, [
            "location_name": "Springwood Ford", "location_address_city": "Springwood", "location_address_state": "OH", "location_id": "3242243",
        ])["id"]?.stringValue ?? ""
        _ = try await call(hookline, "/v1/campaigns", key: key, [
            "name": "Radio spring", "kind": "offline", "location": .string(location), "tags": ["Region": "south"], "tracking_numbers": ["7774839229"],
        ])
        let template = try await call(hookline, "/v1/templates", key: key, [
            "name": "Dealer XML", "group": "Dealers", "format": "xml",
            "body": "<call><id>%callid%</id><phone>%ani%</phone><status>%dialstatus%</status><talk>%answered_time%</talk><campaign>%campaign_name%</campaign><store>%location_name%</store></call>",
        ])["id"]?.stringValue ?? ""
        let webhooks: [JSONObject] = [
            // Roistat's after-call webhook again when the recording's link arrives.
            ["name": "Roistat call", "url": .string("\(crm)/roistat"), "preset": "roistat.call", "triggers": ["call.begin", "call.end", "call.updated"]],
            ["name": "Roistat CRM", "url": .string("\(crm)/roistat-crm"), "preset": ["name": "roistat.crm.lead", "user": "demo", "password": "demo"]],
            ["name": "Envybox", "url": .string("\(crm)/envybox"), "preset": "envybox"],
            ["name": "Dealer XML", "url": .string("\(crm)/dealer-xml"), "template": ["id": .string(template)], "triggers": ["call.end"],
             "placements": [["location": .string(location), "moment": "end"]]],
            // The end of each call waits for its recording, a minute at most, and goes once with it.
            ["name": "Recordings", "url": .string("\(crm)/recordings"), "triggers": ["call.end"],
             "template": ["format": "json", "body": #"{"call": "%callid%", "status": "%dialstatus%", "recording": "%rec_audiourl%"}"#],
             "hold": ["until": ["rec_audiourl"], "max_seconds": 60]],
            ["name": "Sales", "url": .string("\(crm)/sales"), "triggers": ["call.converted"],
             "template": ["format": "json", "body": #"{"call": "%callid%", "caller": "%ani%", "sale": "%conversion_name%", "value": "%conversion_value%", "currency": "%conversion_currency%"}"#]],
        ]
        for webhook in webhooks { _ = try await call(hookline, "/v1/webhooks", key: key, webhook) }
        let roistat = try await call(hookline, "/v1/sources", key: key, ["name": "Roistat call tracking", "kind": "roistat.call"])
        let envybox = try await call(hookline, "/v1/sources", key: key, ["name": "Envybox widget", "kind": "envybox"])
        let tracker = try await call(hookline, "/v1/sources", key: key, [
            "name": "Another tracker (JSON)", "kind": "json",
            "options": [
                "example": .string(trackerPayload(id: "tr-1", caller: "7776000000", seconds: 42).jsonText),
                "mapping": ["$.call.from": "ani", "$.call.to": "tracking", "$.call.seconds": "answered_time", "$.call.result": "dialstatus"],
                "id_path": "$.call.id", "event_path": "$.event", "events": ["call_started": "call.begin", "call_ended": "call.end"],
            ],
        ])
        return Setup(
            key: key, email: "demo@example.com", password: password, roistatSource: roistat["ingest_path"]?.stringValue ?? "",
            envyboxSource: envybox["ingest_path"]?.stringValue ?? "", trackerSource: tracker["ingest_path"]?.stringValue ?? "", location: location)
    }

    /// What the other tracker posts when a call ended; its agent is no token, and rides along in
    /// source_fields.
    static func trackerPayload(id: String, caller: String, seconds: Int) -> JSONValue {
        [
            "event": "call_ended", "call": ["id": .string(id), "from": .string(caller), "to": "7774839229", "seconds": .integer(Int64(seconds)), "result": "ANSWER"],
            "agent": ["name": "Anna", "extension": "101"],
        ]
    }

    /// A call begins every second and ends a moment later; every few seconds a Roistat webhook and
    /// an Envybox form arrive at the sources, and a web form makes a lead.
    struct Played {
        var calls = 0, roistat = 0, envybox = 0, tracker = 0, recordings = 0, sales = 0
    }

    /// `rounds`: one call a round, a round a second.
    static func play(hookline: String, setup: Setup, rounds: Int, receiver: DemoReceiver) async throws -> Played {
        let statuses = ["ANSWER", "ANSWER", "ANSWER", "BUSY", "NOANSWER", "CANCEL"]
        var played = Played()
        let start = ContinuousClock.now
        // Each call's recording arrives a second after its hang-up; the end waits for it.
        var recordingDue: String?
        for second in 1...rounds {
            let id = "demo-\(second)"
            let caller = "7776\(Int.random(in: 100_000...999_999))"
            _ = try await call(hookline, "/v1/calls", key: setup.key, ["callid": .string(id), "ani": .string(caller), "tracking": "7774839229"])
            if let due = recordingDue { played.recordings += try await record(due, hookline: hookline, key: setup.key) }
            try await Task.sleep(for: .milliseconds(300))
            let status = statuses.randomElement()!
            _ = try await call(hookline, "/v1/calls/\(id)/end", key: setup.key, [
                "dialstatus": .string(status), "answered_time": .integer(status == "ANSWER" ? Int64.random(in: 20...300) : 0), "dialed_time": 36,
            ])
            played.calls += 1
            recordingDue = id
            if second % 3 == 1 {
                // The CRM records the sale; it knows the caller's number, not the call.
                _ = try await call(hookline, "/v1/conversions", key: setup.key, [
                    "caller": .string(caller), "conversion_name": "Sale", "conversion_value": .decimal(Double(Int.random(in: 50...500)) * 100), "conversion_currency": "USD",
                ])
                played.sales += 1
            }
            if second % 4 == 1 { played.roistat += try await playRoistat(hookline: hookline, setup: setup, id: "rs-\(second)", caller: caller) }
            if second % 5 == 3 {
                for (type, state) in [("7", ""), ("2", "Состоялся разговор")] {
                    let form = [
                        ("webhooktype", type), ("phone", caller), ("call_state", state), ("call_duration", type == "2" ? "55" : "0"), ("call_id", "eb-\(second)"),
                        ("site", "somedomain.com"), ("place", "Краснодар"), ("called_at", "2021-03-02 10:36:14"),
                    ]
                    _ = try await send(hookline + setup.envyboxSource, body: form.map { "\(FormEncoding.form.encode($0.0))=\(FormEncoding.form.encode($0.1))" }.joined(separator: "&"), type: "application/x-www-form-urlencoded")
                    played.envybox += 1
                }
            }
            if second % 6 == 2 {
                let payload = trackerPayload(id: "tr-\(second)", caller: caller, seconds: Int.random(in: 20...300))
                _ = try await send(hookline + setup.trackerSource, body: payload.jsonText, type: "application/json")
                played.tracker += 1
            }
            if second % 7 == 2 {
                _ = try await call(hookline, "/v1/leads", key: setup.key, [
                    "lead_id": .string("lead-\(second)"), "lead_name": "Robert", "lead_phone": .string("+1\(caller)"), "lead_title": "Test drive request", "lead_kind": "form",
                ])
            }
            say("[\(second) s] \(played.calls) calls, \(played.roistat) Roistat webhooks, \(played.envybox) Envybox forms, \(played.tracker) tracker JSONs sent; the CRM has \(receiver.counts.byPath.withLock { $0.values.reduce(0, +) })")
            try await Task.sleep(until: start + .seconds(second), clock: .continuous)
        }
        if let due = recordingDue { played.recordings += try await record(due, hookline: hookline, key: setup.key) }
        return played
    }

    /// The recording of a call that ended a moment ago: later data, which releases its held end.
    static func record(_ id: String, hookline: String, key: String) async throws -> Int {
        let body: JSONValue = ["rec_audiourl": .string("https://recordings.example.com/\(id).mp3"), "transcript": "Hello, I would like a test drive."]
        try await LocalAPI.send(.PATCH, hookline + "/v1/calls/\(id)", key: key, body: body.jsonText)
        return 1
    }

    /// Roistat's webhook at the call, after it, and after it again once the recording's link exists.
    static func playRoistat(hookline: String, setup: Setup, id: String, caller: String) async throws -> Int {
        let call: JSONObject = [
            "id": .string(id), "caller": .string(caller), "callee": "78005552233", "visit_id": "123456", "marker": "vk_new", "order_id": nil,
            "date": "2019-02-19 00:00:00", "landing_page": "test.com/new", "domain": "test.com", "utm_source": "vk",
        ]
        let payloads = [call, call.merging(["status": "ANSWER", "duration": 42, "link": ""]), call.merging(["status": "ANSWER", "duration": 42, "link": .string("https://roistat.example.com/\(id).mp3")])]
        for payload in payloads {
            _ = try await send(hookline + setup.roistatSource, body: JSONValue.object(payload).jsonText, type: "application/json")
        }
        return payloads.count
    }

    /// Until no delivery is pending (at most a minute).
    static func waitForDeliveries(hookline: String, key: String, receiver: DemoReceiver) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            var request = HTTPClientRequest(url: "\(hookline)/v1/deliveries?status=pending&limit=1")
            request.headers.add(name: "Authorization", value: "Bearer \(key)")
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
            let page = try JSONParser.parse(String(buffer: try await response.body.collect(upTo: 1 << 20)))
            if page["data"]?.arrayValue?.isEmpty == true { return }
            try await Task.sleep(for: .milliseconds(200))
        }
    }

    static func call(_ base: String, _ path: String, key: String, _ body: JSONObject) async throws -> JSONValue {
        try await LocalAPI.post(base + path, key: key, body: JSONValue.object(body).jsonText)
    }

    static func send(_ url: String, body: String, type: String) async throws -> JSONValue {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: type)
        request.body = .bytes(ByteBuffer(string: body))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let text = String(buffer: try await response.body.collect(upTo: 1 << 20))
        guard response.status.code < 300 else { throw CommandFailure("POST \(url) answered \(response.status.code): \(text)") }
        return (try? JSONParser.parse(text)) ?? .null
    }
}
