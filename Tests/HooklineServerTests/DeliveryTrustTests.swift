import Foundation
import HooklineCore
import Hummingbird
import Testing

/// Per-call order, endpoint health, status codes, signatures, auth, the SSRF guard, isolation and
/// observability, end to end.
@Suite struct DeliveryTrustTests {
    static let fast: JSONValue = ["schedule": [0, 0.1], "max_age": 600]

    @Test func aCallsEndIsSentOnlyAfterItsBeginWasAcceptedWhileOtherCallsGoOn() async throws {
        try await Receiver.run { receiver in
            try await Hookline.run { hookline in
                let key = try await hookline.account()
                _ = try await hookline.webhook(
                    key: key, url: receiver.url("/failcall/3/crm"), body: #"{"id": "%callid%", "event": "%dialstatus%"}"#, retry: Self.fast,
                    extra: ["max_in_flight": 4])
                for call in ["c1", "c2"] {
                    try await hookline.call(.post, "/v1/calls", key: key, json: ["callid": .string(call)])
                    try await hookline.call(.post, "/v1/calls/\(call)/end", key: key, json: ["dialstatus": "ANSWER"])
                }
                try await eventually("all delivered") { try await hookline.deliveries(key: key, query: "?status=delivered").count == 4 }
                let received = await receiver.recorder.requests
                for call in ["c1", "c2"] {
                    let mine = received.filter { $0.json?["id"]?.stringValue == call }
                    // Three failed begins, the accepted begin, then the end: never the end first.
                    #expect(mine.map { $0.json?["event"] ?? .null } == [nil, nil, nil, nil, "ANSWER"], "\(call)")
                }
            }
        }
    }

    @Test func aReceiverBackOnlineGetsItsBacklogWithinSecondsInPerCallOrder() async throws {
        try await Receiver.run { receiver in
            try await Hookline.run { hookline in
                let key = try await hookline.account()
                await receiver.recorder.setDown(true)
                let webhook = try await hookline.webhook(
                    key: key, url: receiver.url("/switch/crm"), body: #"{"id": "%callid%", "event": "%dialstatus%"}"#,
                    // Retries a minute apart: only the back-online flush gets the backlog out within the wait below.
                    retry: ["schedule": [0, 60], "max_age": 600], extra: ["probe_interval": 0.5])
                let calls = 150
                for index in 0..<calls {
                    try await hookline.call(.post, "/v1/calls", key: key, json: ["callid": .string("c\(index)")])
                    try await hookline.call(.post, "/v1/calls/c\(index)/end", key: key, json: ["dialstatus": "ANSWER"])
                }
                try await eventually("failing") {
                    try await hookline.call(.get, "/v1/webhooks/\(webhook)", key: key)["health"]?["state"] == "failing"
                }
                let health = try await hookline.call(.get, "/v1/webhooks/\(webhook)", key: key)["health"]
                #expect(health?["failing_since"]?.stringValue != nil)
                #expect(health?["last_error"] == "HTTP 503 is not a success code")
                // While failing, only probes go: one at a time, about every probe interval. Requests
                // sent while it was still healthy may still be out (as many as its limit): the
                // window opens once at most a probe is.
                try await eventually("at most a probe out") {
                    let metrics = try await hookline.call(.get, "/metrics", key: nil).text
                    let leased = metrics.split(separator: "\n").first { $0.hasPrefix("hookline_deliveries_leased ") }
                    return leased.flatMap { Double($0.split(separator: " ")[1]) }.map { $0 <= 1 } ?? false
                }
                let before = await receiver.recorder.requests.count
                try await Task.sleep(for: .seconds(1.2))
                let during = await receiver.recorder.requests.count - before
                #expect(during <= 4, "\(during) requests while failing")

                await receiver.recorder.setDown(false)
                let back = ContinuousClock.now
                try await eventually(timeout: .seconds(45), "backlog delivered") {
                    try await hookline.deliveries(key: key, query: "?status=delivered&limit=500").count == 2 * calls
                }
                #expect(try await hookline.call(.get, "/v1/webhooks/\(webhook)", key: key)["health"]?["state"] == "healthy")
                let accepted = await receiver.recorder.requests.filter { $0.at >= back }
                for index in 0..<calls {
                    let mine = accepted.filter { $0.json?["id"]?.stringValue == "c\(index)" }
                    #expect(mine.last?.json?["event"] == "ANSWER", "c\(index): the end came last")
                }
            }
        }
    }

    @Test func gone410DisablesTheWebhookVisiblyUntilReEnabled() async throws {
        try await Receiver.run { receiver in
            try await Hookline.run { hookline in
                let key = try await hookline.account()
                let webhook = try await hookline.webhook(key: key, url: receiver.url("/gone/crm"), triggers: [.callBegin], retry: Self.fast)
                try await hookline.call(.post, "/v1/calls", key: key, json: ["callid": "c1"])
                try await eventually("disabled") { try await hookline.call(.get, "/v1/webhooks/\(webhook)", key: key)["enabled"] == false }
                let disabled = try await hookline.call(.get, "/v1/webhooks/\(webhook)", key: key)
                #expect(disabled["disabled_reason"] == "the receiver answered 410 Gone")
                #expect(try await hookline.deliveries(key: key).first?["status"] == "pending")
                let enabled = try await hookline.call(.patch, "/v1/webhooks/\(webhook)", key: key, json: ["enabled": true])
                #expect(enabled["enabled"] == true)
                #expect(enabled["disabled_reason"] == .null)
            }
        }
    }

    @Test func tooManyRequestsHonoursRetryAfter() async throws {
        try await Receiver.run { receiver in
            try await Hookline.run { hookline in
                let key = try await hookline.account()
                _ = try await hookline.webhook(
                    key: key, url: receiver.url("/throttle/crm"), triggers: [.callBegin], retry: ["schedule": [0, 0.05, 5], "max_age": 600])
                try await hookline.call(.post, "/v1/calls", key: key, json: ["callid": "c1"])
                try await eventually("delivered") { try await hookline.deliveries(key: key, query: "?status=delivered").count == 1 }
                let received = await receiver.recorder.requests
                #expect(received.count == 2)
                let gap = received[1].at - received[0].at
                #expect(gap >= .milliseconds(900), "retried after \(gap), not after Retry-After: 1")
            }
        }
    }

    @Test func requestsAreSignedTheStandardWebhooksWayAndRotationSignsWithBoth() async throws {
        try await Receiver.run { receiver in
            try await Hookline.run { hookline in
                let key = try await hookline.account()
                let created = try await hookline.call(.post, "/v1/webhooks", key: key, json: [
                    "name": "signed", "url": .string(receiver.url("/ok/signed")), "triggers": ["call.begin"],
                    "template": ["format": "json", "body": #"{"id": "%callid%"}"#],
                ])
                let webhook = try #require(created["id"]?.stringValue)
                let secret = try #require(created["secret"]?.stringValue)
                #expect(secret.hasPrefix("whsec_"))
                let shown = try await hookline.call(.get, "/v1/webhooks/\(webhook)", key: key)
                #expect(shown["secret"] == nil)
                #expect(!shown.text.contains(secret))

                try await hookline.call(.post, "/v1/calls", key: key, json: ["callid": "c1"])
                try await eventually("first") { await receiver.recorder.requests.count == 1 }
                let first = try #require(await receiver.recorder.requests.first)
                let id = try #require(first.header("webhook-id"))
                let timestamp = try #require(first.header("webhook-timestamp").flatMap { Int64($0) })
                let signature = try #require(first.header("webhook-signature"))
                #expect(abs(timestamp - Int64(Date().timeIntervalSince1970)) < 60)
                #expect(StandardWebhooks.verify(id: id, timestamp: timestamp, body: Array(first.body.utf8), header: signature, secret: secret))
                #expect(!StandardWebhooks.verify(id: id, timestamp: timestamp + 1, body: Array(first.body.utf8), header: signature, secret: secret))

                let rotated = try await hookline.call(.post, "/v1/webhooks/\(webhook)/rotate-secret", key: key)
                let newSecret = try #require(rotated["secret"]?.stringValue)
                #expect(newSecret != secret)
                try await hookline.call(.post, "/v1/calls", key: key, json: ["callid": "c2"])
                try await eventually("second") { await receiver.recorder.requests.count == 2 }
                let second = await receiver.recorder.requests[1]
                let header = try #require(second.header("webhook-signature"))
                #expect(header.split(separator: " ").count == 2)
                let secondID = try #require(second.header("webhook-id"))
                let secondTime = try #require(second.header("webhook-timestamp").flatMap { Int64($0) })
                for candidate in [secret, newSecret] {
                    #expect(StandardWebhooks.verify(id: secondID, timestamp: secondTime, body: Array(second.body.utf8), header: header, secret: candidate))
                }

                // Never in attempt records either.
                for delivery in try await hookline.deliveries(key: key) {
                    let detail = try await hookline.delivery(key: key, try #require(delivery["id"]?.stringValue))
                    #expect(!detail.text.contains(secret) && !detail.text.contains(newSecret))
                    #expect(!detail.text.contains(signature))
                }
            }
        }
    }

    @Test func basicAndBearerCredentialsAreSentButNeverShown() async throws {
        try await Receiver.run { receiver in
            try await Hookline.run { hookline in
                let key = try await hookline.account()
                let basic = try await hookline.webhook(
                    key: key, url: receiver.url("/ok/basic"), triggers: [.callBegin],
                    extra: ["auth": ["type": "basic", "username": "crm", "password": "pa55word"], "signing": false])
                _ = try await hookline.webhook(key: key, url: receiver.url("/ok/bearer"), triggers: [.callBegin], extra: ["auth": ["type": "bearer", "token": "t0k3n"]])
                try await hookline.call(.post, "/v1/calls", key: key, json: ["callid": "c1"])
                try await eventually("both") { await receiver.recorder.requests.count == 2 }
                let basicRequest = try #require(await receiver.recorder.requests(to: "/ok/basic").first)
                #expect(basicRequest.header("Authorization") == "Basic " + Data("crm:pa55word".utf8).base64EncodedString())
                #expect(basicRequest.header("webhook-signature") == nil)
                #expect(await receiver.recorder.requests(to: "/ok/bearer").first?.header("Authorization") == "Bearer t0k3n")

                let shown = try await hookline.call(.get, "/v1/webhooks/\(basic)", key: key)
                #expect(shown["auth"] == ["type": "basic", "username": "crm"])
                let all = try await hookline.call(.get, "/v1/webhooks", key: key)
                #expect(!all.text.contains("pa55word") && !all.text.contains("t0k3n"))
                try await eventually("recorded") { try await hookline.deliveries(key: key, query: "?status=delivered").count == 2 }
                for delivery in try await hookline.deliveries(key: key) {
                    let detail = try await hookline.delivery(key: key, try #require(delivery["id"]?.stringValue))
                    #expect(!detail.text.contains("pa55word") && !detail.text.contains("t0k3n") && !detail.text.contains(Data("crm:pa55word".utf8).base64EncodedString()))
                }
            }
        }
    }

    @Test func privateDestinationsAreRefusedUnlessAllowed() async throws {
        try await Receiver.run { receiver in
            try await Hookline.run(allowPrivateDestinations: false) { hookline in
                let key = try await hookline.account()
                _ = try await hookline.webhook(key: key, url: receiver.url("/ok/internal"), triggers: [.callBegin], retry: ["schedule": [0], "max_age": 0.001])
                _ = try await hookline.webhook(key: key, url: "http://localhost:\(receiver.port)/ok/by-name", triggers: [.callBegin], retry: ["schedule": [0], "max_age": 0.001])
                try await hookline.call(.post, "/v1/calls", key: key, json: ["callid": "c1"])
                try await eventually("both dead") { try await hookline.deliveries(key: key, query: "?status=dead").count == 2 }
                for delivery in try await hookline.deliveries(key: key) {
                    let id = try #require(delivery["id"]?.stringValue)
                    let attempt = try #require(try await hookline.delivery(key: key, id)["attempts"]?.arrayValue?.first)
                    #expect(attempt["error_kind"] == "destination")
                    #expect(attempt["error_message"]?.stringValue?.contains("loopback") == true, "\(attempt)")
                }
                #expect(await receiver.recorder.requests.isEmpty)
            }
        }
    }

    @Test func aHangingReceiverHoldsOnlyItsOwnSlots() async throws {
        try await Receiver.run { receiver in
            try await Hookline.run { hookline in
                let key = try await hookline.account()
                _ = try await hookline.webhook(
                    key: key, url: receiver.url("/hang/slow"), triggers: [.callBegin], retry: Self.fast,
                    // Longer than the test however busy the machine: the two requests stay in flight.
                    extra: ["max_in_flight": 2, "timeouts": ["total": 120]])
                _ = try await hookline.webhook(key: key, url: receiver.url("/ok/fast"), triggers: [.callBegin])
                for index in 0..<50 { try await hookline.call(.post, "/v1/calls", key: key, json: ["callid": .string("c\(index)")]) }
                try await eventually(timeout: .seconds(60), "the healthy webhook got everything") {
                    await receiver.recorder.requests(to: "/ok/fast").count == 50
                }
                #expect(await receiver.recorder.requests(to: "/hang/slow").count == 2)
                // The hanging requests return, so the shutdown does not wait for them.
                await receiver.recorder.stop()
            }
        }
    }

    /// A webhook's limit is on requests its receiver has not answered: answered ones waiting for
    /// their records free their slots, and the receiver never holds more than the limit.
    @Test func aWebhooksLimitHoldsAtItsReceiverWhileAnsweredRequestsAwaitTheirRecords() async throws {
        try await Receiver.run { receiver in
            try await Hookline.run { hookline in
                let key = try await hookline.account()
                _ = try await hookline.webhook(key: key, url: receiver.url("/held/one"), triggers: [.callBegin], extra: ["max_in_flight": 2])
                try await Self.beginCallsAtOnce(30, hookline: hookline, key: key, receiver: receiver, deliveries: 30)
                #expect(await receiver.recorder.mostHeldAtOnce <= 2)
            }
        }
    }

    @Test func theProcessWideLimitHoldsWhileIngestAndRecordsLeaseToo() async throws {
        try await Receiver.run { receiver in
            try await Hookline.run(concurrency: 4) { hookline in
                let key = try await hookline.account()
                for index in 0..<3 {
                    _ = try await hookline.webhook(key: key, url: receiver.url("/held/\(index)"), triggers: [.callBegin], extra: ["max_in_flight": 8])
                }
                try await Self.beginCallsAtOnce(40, hookline: hookline, key: key, receiver: receiver, deliveries: 120)
                #expect(await receiver.recorder.mostHeldAtOnce <= 4)
            }
        }
    }

    /// Begins `count` calls concurrently, each on a connection of the shared client's pool
    /// (`Hookline.send`), then waits for `deliveries` requests at `/held/…`.
    static func beginCallsAtOnce(_ count: Int, hookline: Hookline, key: String, receiver: Receiver, deliveries: Int) async throws {
        try await withThrowingTaskGroup { group in
            for index in 0..<count {
                group.addTask {
                    let begin = try await hookline.send(.post, "/v1/calls", key: key, json: ["callid": .string("c\(index)")])
                    #expect(begin.status == .created, "\(begin.text)")
                }
            }
            try await group.waitForAll()
        }
        // Generous: on a machine loaded past its cores a request can time out and wait for its
        // retry (10 s, then 60 s); what these tests check is the bound, not the speed.
        // Distinct (webhook, call) pairs: a request sent again after a lost answer is not a new delivery.
        try await eventually(timeout: .seconds(240), "every delivery arrived") {
            Set(await receiver.recorder.requests(to: "/held/").map { "\($0.path) \($0.body)" }).count == deliveries
        }
    }

    @Test func healthReadinessAndMetricsAreServed() async throws {
        try await Receiver.run { receiver in
            try await Hookline.run { hookline in
                #expect(try await hookline.call(.get, "/healthz", key: nil)["status"] == "ok")
                let ready = try await hookline.call(.get, "/readyz", key: nil)
                #expect(ready.status == .ok)
                #expect(ready["workers"] == true)
                let key = try await hookline.account()
                _ = try await hookline.webhook(key: key, url: receiver.url("/ok/metrics"), triggers: [.callBegin])
                _ = try await hookline.webhook(key: key, url: receiver.url("/fail/metrics"), triggers: [.callBegin], retry: ["schedule": [0, 60], "max_age": 600])
                try await hookline.call(.post, "/v1/calls", key: key, json: ["callid": "c1"])
                try await eventually("attempted") { await receiver.recorder.requests.count == 2 }
                // Outcomes are counted when the answers come, the pending rows once the attempts are recorded.
                try await eventually("recorded") {
                    let text = try await hookline.call(.get, "/metrics", key: nil).text
                    return text.contains(#"hookline_deliveries_total{outcome="delivered"} 1"#) && text.contains(#"hookline_deliveries_total{outcome="retry"} 1"#)
                        && text.contains("hookline_deliveries_pending 1")
                }
                let metrics = try await hookline.call(.get, "/metrics", key: nil).text
                #expect(metrics.contains(#"hookline_events_ingested_total{kind="call.begin"} 1"#))
                #expect(metrics.contains("hookline_endpoints_failing 0"))
                #expect(metrics.contains("hookline_attempt_duration_seconds_bucket"))
            }
        }
    }
}
