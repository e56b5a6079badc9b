import Foundation
import HooklineCore
import Hummingbird
import Testing

/// Inputs that once stopped the whole process, sent the way an outsider would send them; after
/// each, the server must still answer.
@Suite struct HardeningTests {
    @Test(arguments: ["1234", "664813", "123456789", "123456789012"])
    func timestampsWithAnyFractionParseOnEveryIngestRoute(fraction: String) async throws {
        try await Hookline.run(runsWorkers: false) { hookline in
            let key = try await hookline.account()
            let begin = try await hookline.call(.post, "/v1/calls", key: key, json: ["callid": "c1", "call_start_time": .string("2019-03-28T00:05:00.\(fraction)Z")])
            #expect(begin.status == .created, "\(begin.text)")
            let end = try await hookline.call(.post, "/v1/calls/c1/end", key: key, json: ["call_end_time": .string("2019-03-28T00:06:00.\(fraction)Z")])
            #expect(end.status == .created || end.status == .ok, "\(end.text)")
            let lead = try await hookline.call(.post, "/v1/leads", key: key, json: ["lead_id": "L1", "callback_at": .string("2021-01-01T00:00:00.\(fraction)+03:00")])
            #expect(lead.status == .created, "\(lead.text)")
            let message = try await hookline.call(.post, "/v1/messages", key: key, json: ["lead_id": "L1", "message_sent_at": .string("2015-06-28T09:15:00.\(fraction)Z")])
            #expect(message.status == .created, "\(message.text)")
            let call = try await hookline.call(.get, "/v1/calls/c1", key: key)
            #expect(call.text.contains("2019-03-28T00:05:00.\(fraction.prefix(3))Z"))
            #expect(call.text.contains("2019-03-28T00:06:00.\(fraction.prefix(3))Z"))
        }
    }

    @Test func deeplyNestedXMLIsRefusedOnEveryRouteThatTakesATemplate() async throws {
        let deep = String(repeating: "<a>", count: 35_000) + String(repeating: "</a>", count: 35_000)
        let xml: JSONValue = ["format": "xml", "body": .string(deep)]
        try await Hookline.run(runsWorkers: false) { hookline in
            let key = try await hookline.account()
            let attempts: [(String, JSONValue, String)] = [
                ("/v1/templates", ["name": "t", "format": "xml", "body": .string(deep)], "body"),
                ("/v1/webhooks", ["name": "w", "url": "http://127.0.0.1:9/", "triggers": ["call.begin"], "template": xml], "template.body"),
                ("/v1/templates", ["name": "t", "format": "xml", "example": .string(deep), "mapping": [:]], "example"),
                ("/v1/templates/extract", ["format": "xml", "example": .string(deep)], "example"),
            ]
            for (path, body, field) in attempts {
                let answer = try await hookline.call(.post, path, key: key, json: body)
                #expect(answer.status == .unprocessableContent, "\(path): \(answer.text.prefix(300))")
                #expect(answer.errorField == field, "\(path): \(answer.text.prefix(300))")
                #expect(answer.errorMessage?.contains("deeper than 64") == true, "\(path): \(answer.text.prefix(300))")
            }
            #expect(try await hookline.call(.get, "/healthz", key: nil).status == .ok)
        }
    }

    @Test func aLongUnknownFieldNameIsRefusedWithAShortAnswer() async throws {
        try await Hookline.run(runsWorkers: false) { hookline in
            let key = try await hookline.account()
            let name = String(repeating: "z", count: 1_000_000)
            for path in ["/v1/calls", "/v1/leads", "/v1/webhooks", "/v1/templates", "/v1/campaigns", "/v1/locations"] {
                let answer = try await hookline.call(.post, path, key: key, body: "{\"\(name)\": 1}")
                #expect(answer.status == .badRequest, "\(path)")
                #expect(answer.text.utf8.count < 1024, "\(path) answered \(answer.text.utf8.count) bytes")
            }
        }
    }

    @Test func aHeaderRenderedTooLargeIsAFailedAttemptThatSaysWhy() async throws {
        try await EarlyAnswerer.run { port in
            try await Hookline.run { hookline in
                let key = try await hookline.account()
                _ = try await hookline.webhook(
                    key: key, url: "http://127.0.0.1:\(port)/", triggers: [.callBegin], headers: ["X-Name": "%ani_full_name%"],
                    extra: ["retry": ["schedule": [0, 60], "max_age": 600], "probe_interval": 0.1])
                let name = String(repeating: "n", count: 250_000)
                for index in 0..<9 {
                    let answer = try await hookline.call(.post, "/v1/calls", key: key, json: ["callid": .string("big\(index)"), "ani_full_name": .string(name)])
                    #expect(answer.status == .created, "\(answer.text.prefix(500))")
                }
                try await eventually(timeout: .seconds(120), "nine failed attempts") {
                    try await hookline.deliveries(key: key).filter { ($0["attempt_count"]?.integerValue ?? 0) >= 1 }.count == 9
                }
                let delivery = try #require(try await hookline.deliveries(key: key).first?["id"]?.stringValue)
                let attempt = try #require(try await hookline.delivery(key: key, delivery)["attempts"]?.arrayValue?.first)
                #expect(attempt["error_kind"] == "render")
                #expect(attempt["error_message"]?.stringValue?.contains("header X-Name is 250000 bytes") == true, "\(attempt)")
                #expect(try await hookline.call(.get, "/healthz", key: nil).status == .ok)
            }
        }
    }

    /// A body is not bounded like a head; a receiver answering early while it is still being
    /// written must cost one failed attempt, never the process.
    @Test func aLargeBodyAnsweredEarlyIsAFailedAttempt() async throws {
        try await EarlyAnswerer.run { port in
            try await Hookline.run { hookline in
                let key = try await hookline.account()
                _ = try await hookline.webhook(
                    key: key, url: "http://127.0.0.1:\(port)/", triggers: [.callBegin], body: #"{"name": "%ani_full_name%"}"#,
                    extra: ["retry": ["schedule": [0, 60], "max_age": 600], "probe_interval": 0.1])
                let name = String(repeating: "n", count: 300_000)
                for index in 0..<9 {
                    try await hookline.call(.post, "/v1/calls", key: key, json: ["callid": .string("body\(index)"), "ani_full_name": .string(name)])
                }
                // Probes of the failing endpoint may try a delivery again before its schedule does.
                try await eventually(timeout: .seconds(120), "nine failed attempts") {
                    try await hookline.deliveries(key: key).filter { ($0["attempt_count"]?.integerValue ?? 0) >= 1 }.count == 9
                }
                for delivery in try await hookline.deliveries(key: key) {
                    #expect(delivery["status"] == "pending")
                    #expect(delivery["last_error"]?.stringValue?.isEmpty == false, "\(delivery)")
                }
                #expect(try await hookline.call(.get, "/healthz", key: nil).status == .ok)
            }
        }
    }
}
