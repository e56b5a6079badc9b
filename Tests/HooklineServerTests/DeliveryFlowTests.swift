import HooklineCore
import Hummingbird
import Testing

/// Events in, webhooks out, against a real receiver and a real SQLite file.
@Suite struct DeliveryFlowTests {
    @Test func aCallsBeginAndEndReachTheReceiverRenderedByTheirTemplates() async throws {
        try await Receiver.run { receiver in
            try await Hookline.run { hookline in
                let key = try await hookline.account()
                let beginHook = try await hookline.webhook(
                    key: key, url: receiver.url("/ok/begin"), triggers: [.callBegin],
                    body: #"{"event": "begin", "id": "%callid%", "caller": "%ani%", "started": "%call_start_time%", "tags": "%tags%", "text": "Call from %ani% to %tracking%"}"#)
                _ = try await hookline.webhook(
                    key: key, url: receiver.url("/ok/end"), triggers: [.callEnd],
                    body: #"{"event": "end", "id": "%callid%", "caller": "%ani%", "status": "%dialstatus%", "talk": "%answered_time%", "ivr": "%prompt_responses%", "missing": "%gclid%"}"#)

                let begin = try await hookline.call(.post, "/v1/calls", key: key, json: [
                    "callid": "093cc03c.e6a4", "ani": "7776734736", "tracking": "7774839229", "call_start_time": "2019-03-28T00:05:00Z",
                    "tags": ["Region": "south"],
                ])
                #expect(begin.status == .created)
                #expect(begin["id"] == "093cc03c.e6a4")
                let end = try await hookline.call(.post, "/v1/calls/093cc03c.e6a4/end", key: key, json: [
                    "dialstatus": "ANSWER", "answered_time": 29, "dialed_time": 36,
                    "prompt_responses": [["question": "one", "response": "1"]],
                ])
                #expect(end.status == .ok)

                try await eventually("both deliveries") { await receiver.recorder.requests.count == 2 }
                let beginRequest = try #require(await receiver.recorder.requests(to: "/ok/begin").first)
                #expect(beginRequest.body == #"{"event":"begin","id":"093cc03c.e6a4","caller":"7776734736","started":"2019-03-28T00:05:00.000Z","tags":{"Region":"south"},"text":"Call from 7776734736 to 7774839229"}"#)
                #expect(beginRequest.header("Content-Type") == "application/json")
                let endRequest = try #require(await receiver.recorder.requests(to: "/ok/end").first)
                #expect(endRequest.json == [
                    "event": "end", "id": "093cc03c.e6a4", "caller": "7776734736", "status": "ANSWER", "talk": 29,
                    "ivr": [["question": "one", "response": "1"]], "missing": nil,
                ])

                try await eventually("delivered status") {
                    try await hookline.deliveries(key: key, query: "?status=delivered").count == 2
                }
                let listed = try await hookline.deliveries(key: key, query: "?webhook_id=\(beginHook)")
                let deliveryID = try #require(listed.first?["id"]?.stringValue)
                #expect(listed.count == 1)
                #expect(beginRequest.header("webhook-id") == deliveryID)
                let detail = try await hookline.delivery(key: key, deliveryID)
                #expect(detail["status"] == "delivered")
                let attempts = try #require(detail["attempts"]?.arrayValue)
                #expect(attempts.count == 1)
                #expect(attempts[0]["response"]?["status"] == 200)
                #expect(attempts[0]["response"]?["body"] == #"{"status":"ok"}"#)
                #expect(attempts[0]["request"]?["body"]?.stringValue == beginRequest.body)
                #expect(attempts[0]["error_kind"] == .null)
            }
        }
    }

    @Test func aReceiverThatFailsTwiceThenAcceptsLeavesOneDeliveredRowWithThreeAttempts() async throws {
        try await Receiver.run { receiver in
            try await Hookline.run { hookline in
                let key = try await hookline.account()
                _ = try await hookline.webhook(key: key, url: receiver.url("/flaky/2/crm"), triggers: [.callBegin], retry: ["schedule": [0, 0.1, 0.2], "max_age": 60])
                try await hookline.call(.post, "/v1/calls", key: key, json: ["callid": "c1", "ani": "1"])

                try await eventually("delivered") { try await hookline.deliveries(key: key, query: "?status=delivered").count == 1 }
                let deliveries = try await hookline.deliveries(key: key)
                #expect(deliveries.count == 1)
                let detail = try await hookline.delivery(key: key, try #require(deliveries[0]["id"]?.stringValue))
                let attempts = try #require(detail["attempts"]?.arrayValue)
                #expect(attempts.map { $0["number"] } == [1, 2, 3])
                #expect(attempts.map { $0["response"]?["status"] } == [500, 500, 200])
                #expect(attempts.map { $0["error_kind"] } == ["status", "status", .null])
                #expect(detail["attempt_count"] == 3)

                // The same message every time: same id, same bytes, so the receiver can de-duplicate.
                let received = await receiver.recorder.requests
                #expect(received.count == 3)
                #expect(Set(received.compactMap { $0.header("webhook-id") }).count == 1)
                #expect(Set(received.map(\.body)).count == 1)
            }
        }
    }

    @Test func deliveriesStillDueWhenTheServerStopsAreSentAfterItRestarts() async throws {
        let database = try Hookline.temporaryDatabase()
        try await Receiver.run { receiver in
            let key = try await Hookline.run(database: database, runsWorkers: false) { hookline in
                let key = try await hookline.account()
                _ = try await hookline.webhook(key: key, url: receiver.url("/ok/after-restart"))
                for index in 0..<5 {
                    let answer = try await hookline.call(.post, "/v1/calls", key: key, json: ["callid": .string("c\(index)")])
                    #expect(answer.status == .created)
                }
                #expect(try await hookline.deliveries(key: key, query: "?status=pending").count == 5)
                return key
            }
            #expect(await receiver.recorder.requests.isEmpty)

            try await Hookline.run(database: database) { hookline in
                try await eventually("all five delivered after restart") {
                    try await hookline.deliveries(key: key, query: "?status=delivered").count == 5
                }
            }
            let ids = await receiver.recorder.requests.compactMap { $0.json?["id"]?.stringValue }
            #expect(Set(ids) == ["c0", "c1", "c2", "c3", "c4"])
        }
    }

    @Test func failuresAreRecordedWithTheirKind() async throws {
        try await Receiver.run { receiver in
            try await Hookline.run { hookline in
                let key = try await hookline.account()
                let once: JSONValue = ["schedule": [0], "max_age": 0.001]
                let hang = try await hookline.webhook(
                    key: key, url: receiver.url("/hang/x"), triggers: [.callBegin], retry: once, extra: ["timeouts": ["total": 0.5]])
                // The others get room to answer on a loaded machine: only the hanging one times out.
                let roomy: JSONObject = ["timeouts": ["connect": 10, "total": 30]]
                let drop = try await hookline.webhook(key: key, url: receiver.url("/drop/x"), triggers: [.callBegin], retry: once, extra: roomy)
                let fail = try await hookline.webhook(key: key, url: receiver.url("/fail/x"), triggers: [.callBegin], retry: once, extra: roomy)
                // Port 9 (discard) is closed on loopback: the connection is refused.
                let refused = try await hookline.webhook(key: key, url: "http://127.0.0.1:9/x", triggers: [.callBegin], retry: once, extra: roomy)
                let redirect = try await hookline.webhook(key: key, url: receiver.url("/redirect/x"), triggers: [.callBegin], retry: once, extra: roomy)
                try await hookline.call(.post, "/v1/calls", key: key, json: ["callid": "c1"])

                try await eventually("all dead") { try await hookline.deliveries(key: key, query: "?status=dead").count == 5 }
                // A redirect is an answer, not an instruction: it fails and is never followed.
                #expect(await receiver.recorder.requests(to: "/ok/redirected").isEmpty)
                let expected = [hang: "timeout", drop: "network", fail: "status", refused: "connect", redirect: "status"]
                for (webhook, kind) in expected {
                    let delivery = try #require(try await hookline.deliveries(key: key, query: "?webhook_id=\(webhook)").first)
                    let detail = try await hookline.delivery(key: key, try #require(delivery["id"]?.stringValue))
                    let attempt = try #require(detail["attempts"]?.arrayValue?.first)
                    #expect(attempt["error_kind"]?.stringValue == kind, "\(webhook): \(attempt)")
                    #expect(attempt["error_message"]?.stringValue?.isEmpty == false)
                }
            }
        }
    }

    @Test func replaySendsTheSameMessageAgain() async throws {
        try await Receiver.run { receiver in
            try await Hookline.run { hookline in
                let key = try await hookline.account()
                _ = try await hookline.webhook(key: key, url: receiver.url("/ok/replay"), triggers: [.callBegin])
                try await hookline.call(.post, "/v1/calls", key: key, json: ["callid": "c1"])
                try await eventually("delivered") { try await hookline.deliveries(key: key, query: "?status=delivered").count == 1 }
                let id = try #require(try await hookline.deliveries(key: key).first?["id"]?.stringValue)

                let replay = try await hookline.call(.post, "/v1/deliveries/\(id)/replay", key: key)
                #expect(replay.status == .accepted)
                #expect(replay["status"] == "pending")
                try await eventually("sent again") { await receiver.recorder.requests.count == 2 }
                try await eventually("two attempts") { try await hookline.delivery(key: key, id)["attempt_count"] == 2 }
                let received = await receiver.recorder.requests
                #expect(received[0].body == received[1].body)
                #expect(received[0].header("webhook-id") == received[1].header("webhook-id"))
            }
        }
    }

    @Test func secretsAreSentButNeverRecorded() async throws {
        try await Receiver.run { receiver in
            try await Hookline.run { hookline in
                let key = try await hookline.account()
                _ = try await hookline.webhook(
                    key: key, url: receiver.url("/ok/secret"), triggers: [.callBegin],
                    headers: ["Authorization": "Bearer s3cr3t-value", "X-Crm-Token": "t0ken-value", "X-Plain": "visible"])
                try await hookline.call(.post, "/v1/calls", key: key, json: ["callid": "c1"])
                try await eventually("delivered") { try await hookline.deliveries(key: key, query: "?status=delivered").count == 1 }
                let request = try #require(await receiver.recorder.requests.first)
                #expect(request.header("Authorization") == "Bearer s3cr3t-value")
                #expect(request.header("X-Crm-Token") == "t0ken-value")

                let id = try #require(try await hookline.deliveries(key: key).first?["id"]?.stringValue)
                let detail = try await hookline.delivery(key: key, id)
                #expect(!detail.text.contains("s3cr3t-value"))
                #expect(!detail.text.contains("t0ken-value"))
                #expect(detail.text.contains("visible"))
            }
        }
    }

    @Test func aDisabledWebhookIsNotSentNewEventsUntilReEnabled() async throws {
        try await Receiver.run { receiver in
            try await Hookline.run { hookline in
                let key = try await hookline.account()
                let webhook = try await hookline.webhook(key: key, url: receiver.url("/ok/held"), triggers: [.callBegin, .callEnd])
                try await hookline.call(.post, "/v1/calls", key: key, json: ["callid": "c1"])
                try await eventually("first delivered") { await receiver.recorder.requests.count == 1 }
                // Disabled: the call's end is accepted but not matched (no delivery is created).
                #expect(try await hookline.call(.patch, "/v1/webhooks/\(webhook)", key: key, json: ["enabled": false])["enabled"] == false)
                let end = try await hookline.call(.post, "/v1/calls/c1/end", key: key, json: ["dialstatus": "BUSY"])
                #expect(end["deliveries"] == [])
                #expect(try await hookline.call(.patch, "/v1/webhooks/\(webhook)", key: key, json: ["enabled": true]).status == .ok)
                try await hookline.call(.post, "/v1/calls", key: key, json: ["callid": "c2"])
                try await eventually("second delivered") { await receiver.recorder.requests.count == 2 }
            }
        }
    }
}
