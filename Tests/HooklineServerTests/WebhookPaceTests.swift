import HooklineCore
import Testing

/// The pace a receiver can take: its own `Retry-After` pauses the whole webhook, and a webhook's
/// rate limit spaces its requests, whatever is due.
@Suite struct WebhookPaceTests {
    /// The receiver's `Retry-After` holds back every call's delivery to it, not only the one it
    /// answered, and the webhook says until when.
    @Test func tooManyRequestsPausesTheWholeWebhook() async throws {
        try await Receiver.run { receiver in
            try await Hookline.run { hookline in
                let key = try await hookline.account()
                let webhook = try await hookline.webhook(
                    key: key, url: receiver.url("/throttle/all"), triggers: [.callBegin], retry: ["schedule": [0, 0.05, 5], "max_age": 600],
                    extra: ["max_in_flight": 1])
                try await hookline.call(.post, "/v1/calls", key: key, json: ["callid": "c1"])
                // Once the 429 is recorded (and with it the pause), more calls come.
                try await eventually("the 429 recorded") {
                    try await hookline.deliveries(key: key).first?["attempt_count"]?.integerValue == 1
                }
                for call in ["c2", "c3"] { try await hookline.call(.post, "/v1/calls", key: key, json: ["callid": .string(call)]) }
                try await eventually("all delivered") { try await hookline.deliveries(key: key, query: "?status=delivered").count == 3 }
                let received = await receiver.recorder.requests
                #expect(received.count == 4)
                for later in received.dropFirst() {
                    let gap = later.at - received[0].at
                    #expect(gap >= .milliseconds(900), "a request \(gap) after the 429, before its Retry-After: 1 was over")
                }

                // A longer pause shows on the webhook and its page while it holds.
                let (_, browser) = try await WizardTests.signedIn(hookline, key: key)
                let slow = try await hookline.webhook(
                    key: key, url: receiver.url("/slowdown/30"), triggers: [.callBegin], retry: ["schedule": [0, 60], "max_age": 600],
                    extra: ["name": "Slow CRM"])
                try await hookline.call(.post, "/v1/calls", key: key, json: ["callid": "c4"])
                try await eventually("the pause shown") {
                    try await hookline.call(.get, "/v1/webhooks/\(slow)", key: key)["health"]?["paused_until"]?.stringValue != nil
                }
                #expect(try await browser.request(.get, "/webhooks/\(slow)").text.contains("Paused until"))
                #expect(try await browser.request(.get, "/webhooks").text.contains("paused until"))
                #expect(try await hookline.call(.get, "/v1/webhooks/\(webhook)", key: key)["health"]?["paused_until"] == .null, "a pause that is over is not shown")
            }
        }
    }

    /// The edit form sets and clears the rate limit with the API's checks, each mistake beside it.
    @Test func theEditFormSetsAndClearsTheRateLimit() async throws {
        try await Hookline.run(runsWorkers: false) { hookline in
            let (key, browser) = try await WizardTests.signedIn(hookline)
            let webhook = try await hookline.webhook(key: key, url: "https://crm.example.com/hook", triggers: [.callEnd])
            let page = try await browser.request(.get, "/webhooks/\(webhook)/edit")
            #expect(page.text.contains("name=\"rate_requests\"") && page.text.contains("name=\"rate_seconds\""))
            let form: [(String, String)] = [
                ("name", "CRM"), ("url", "https://crm.example.com/hook"), ("trigger", "call.end"), ("success_codes", "200-299"), ("method", "POST"),
            ]
            for (requests, seconds, says) in [("many", "60", "whole number of requests"), ("10", "0.5", "from 1 to 86400"), ("10", "", "number of seconds")] {
                let refused = try await browser.submit(page.text, to: "/webhooks/\(webhook)/edit", form + [("rate_requests", requests), ("rate_seconds", seconds)])
                #expect(refused.status == .unprocessableContent && refused.text.contains("id=\"rate_limit-error\"") && refused.text.contains(says), "\(requests)/\(seconds)")
                #expect(refused.text.contains("value=\"\(requests)\""), "what was typed stays")
            }
            #expect(try await browser.submit(page.text, to: "/webhooks/\(webhook)/edit", form + [("rate_requests", "10"), ("rate_seconds", "60")]).status == .seeOther)
            #expect(try await hookline.call(.get, "/v1/webhooks/\(webhook)", key: key)["rate_limit"] == ["requests": 10, "seconds": 60])
            let again = try await browser.request(.get, "/webhooks/\(webhook)/edit")
            #expect(again.text.contains("value=\"10\"") && again.text.contains("value=\"60\""))
            #expect(try await browser.submit(again.text, to: "/webhooks/\(webhook)/edit", form + [("rate_requests", ""), ("rate_seconds", "")]).status == .seeOther)
            #expect(try await hookline.call(.get, "/v1/webhooks/\(webhook)", key: key)["rate_limit"] == .null)
        }
    }

    /// Six calls at once to a webhook allowed two requests a second: two go at once, then one every
    /// half second.
    @Test func aRateLimitSpacesTheRequestsOfABurst() async throws {
        try await Receiver.run { receiver in
            try await Hookline.run { hookline in
                let (key, browser) = try await WizardTests.signedIn(hookline)
                let webhook = try await hookline.webhook(
                    key: key, url: receiver.url("/ok/paced"), triggers: [.callBegin], extra: ["rate_limit": ["requests": 2, "seconds": 1]])
                #expect(try await hookline.call(.get, "/v1/webhooks/\(webhook)", key: key)["rate_limit"] == ["requests": 2, "seconds": 1])
                for index in 0..<6 { try await hookline.call(.post, "/v1/calls", key: key, json: ["callid": .string("c\(index)")]) }
                try await eventually("all delivered") { try await hookline.deliveries(key: key, query: "?status=delivered").count == 6 }
                let times = await receiver.recorder.requests(to: "/ok/paced").map(\.at).sorted()
                #expect(times.count == 6)
                if let first = times.first, let last = times.last {
                    #expect(last - first >= .milliseconds(1900), "six requests in \(last - first): faster than two a second after a burst of two")
                }
                #expect(try await browser.request(.get, "/webhooks/\(webhook)").text.contains("at most 2 requests every 1 s"))

                for (body, field) in [
                    (["requests": 0, "seconds": 1] as JSONValue, "rate_limit.requests"), (["requests": 2.5, "seconds": 1], "rate_limit.requests"),
                    (["requests": 2, "seconds": 0.5], "rate_limit.seconds"), (["requests": 2, "seconds": 86_401], "rate_limit.seconds"),
                    (["requests": 2], "rate_limit.seconds"), (["requests": 2, "seconds": 1, "burst": 9], "rate_limit.burst"), ("fast", "rate_limit"),
                ] {
                    let answer = try await hookline.call(.patch, "/v1/webhooks/\(webhook)", key: key, json: ["rate_limit": body])
                    #expect(answer.status == .badRequest && answer.errorField == field, "\(body): \(answer.text)")
                }
                let removed = try await hookline.call(.patch, "/v1/webhooks/\(webhook)", key: key, json: ["rate_limit": nil])
                #expect(removed.status == .ok && removed["rate_limit"] == .null)
            }
        }
    }
}
