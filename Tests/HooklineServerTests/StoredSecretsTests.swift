import Foundation
import HooklineCore
import Hummingbird
import HummingbirdTesting
import Testing

/// A webhook's saved credentials go only to the origin they were given for (issue 22, item 8),
/// and a source's call id follows one rule on every kind (item 9).
@Suite struct StoredSecretsTests {
    @Test func savedSecretsStayBehindWhenTheDestinationMovesToAnotherOrigin() async throws {
        try await Receiver.run { receiver in
            try await Hookline.run { hookline in
                let key = try await hookline.account()
                let id = try await hookline.webhook(
                    key: key, url: receiver.url("/first"), headers: ["X-Api-Key": "key-123", "X-Plain": "kept"],
                    extra: ["auth": ["type": "bearer", "token": "token-456"]])
                // The same origin, another path: everything is kept.
                let samePlace = try await hookline.call(.patch, "/v1/webhooks/\(id)", key: key, json: ["url": .string(receiver.url("/second"))])
                #expect(samePlace.status == .ok && samePlace["auth"]?["type"] == "bearer" && samePlace["headers"]?["X-Api-Key"] == "[redacted]")

                // Another host (localhost is not 127.0.0.1): sent back as shown, the secrets are refused by name.
                let elsewhere = receiver.url("/third").replacingOccurrences(of: "127.0.0.1", with: "localhost")
                let shownBack = try await hookline.call(
                    .patch, "/v1/webhooks/\(id)", key: key, json: ["url": .string(elsewhere), "headers": ["X-Api-Key": "[redacted]", "X-Plain": "kept"]])
                #expect(shownBack.status == .unprocessableContent && shownBack.errorField == "headers.X-Api-Key", "\(shownBack.text)")
                let authShownBack = try await hookline.call(.patch, "/v1/webhooks/\(id)", key: key, json: ["url": .string(elsewhere), "auth": ["type": "bearer"]])
                #expect(authShownBack.status == .unprocessableContent && authShownBack.errorField == "auth.token", "\(authShownBack.text)")
                #expect(try await hookline.call(.get, "/v1/webhooks/\(id)", key: key)["url"] == .string(receiver.url("/second")), "a refused change changes nothing")

                // Only the URL: the secrets are dropped, the plain header stays.
                let moved = try await hookline.call(.patch, "/v1/webhooks/\(id)", key: key, json: ["url": .string(elsewhere)])
                #expect(moved.status == .ok && moved["auth"] == .null && moved["headers"] == ["X-Plain": "kept"], "\(moved.text)")
                #expect(try await hookline.call(.post, "/v1/calls", key: key, json: ["callid": "moved-1"]).status == .created)
                try await eventually("the delivery to the new origin") { await !receiver.recorder.requests(to: "/third").isEmpty }
                let sent = try #require(await receiver.recorder.requests(to: "/third").first)
                #expect(sent.headers[.authorization] == nil && sent.headers[HTTPFields.Element.Name("X-Api-Key")!] == nil && sent.headers[HTTPFields.Element.Name("X-Plain")!] == "kept")

                // Given again with the move, they are kept.
                let back = try await hookline.call(
                    .patch, "/v1/webhooks/\(id)", key: key,
                    json: ["url": .string(receiver.url("/fourth")), "headers": ["X-Api-Key": "key-789"], "auth": ["type": "bearer", "token": "token-000"]])
                #expect(back.status == .ok && back["auth"]?["type"] == "bearer" && back["headers"]?["X-Api-Key"] == "[redacted]", "\(back.text)")
            }
        }
    }

    @Test func aSourcesCallIdFollowsOneRuleOnEveryKind() async throws {
        try await Hookline.run(runsWorkers: false) { hookline in
            let key = try await hookline.account()
            let long = String(repeating: "1", count: 6000)
            let marks = "a" + String(repeating: "\u{301}", count: 300)
            for bad in ["a/b", long, marks, "a\u{1}b"] {
                let roistat = try await SourcesTests.source(hookline, key: key, kind: "roistat.call").path
                let answer = try await SourcesTests.send(hookline, roistat, body: JSONValue.object(["id": .string(bad), "caller": "7999"]).jsonText, type: "application/json")
                #expect(answer.status == .badRequest && answer.text.contains("\"field\":\"id\""), "roistat.call: \(answer.text.prefix(200))")

                let envybox = try await SourcesTests.source(hookline, key: key, kind: "envybox").path
                let form = "webhooktype=7&phone=7999&call_id=" + FormEncoding.form.encode(bad)
                let envyboxAnswer = try await SourcesTests.send(hookline, envybox, body: form, type: "application/x-www-form-urlencoded")
                #expect(envyboxAnswer.status == .badRequest && envyboxAnswer.text.contains("\"field\":\"call_id\""), "envybox: \(envyboxAnswer.text.prefix(200))")

                let crm = try await SourcesTests.source(hookline, key: key, kind: "roistat.crm").path
                let lead = try await SourcesTests.send(hookline, crm, body: "action=lead&title=t&id=" + FormEncoding.form.encode(bad), type: "application/x-www-form-urlencoded")
                #expect(lead.status == .badRequest && lead.text.contains("\"field\":\"id\""), "roistat.crm: \(lead.text.prefix(200))")
                let message = try await SourcesTests.send(hookline, crm, body: "action=message&text=t&leadId=" + FormEncoding.form.encode(bad), type: "application/x-www-form-urlencoded")
                #expect(message.status == .badRequest && message.text.contains("\"field\":\"leadId\""), "roistat.crm: \(message.text.prefix(200))")

                let api = try await hookline.call(.post, "/v1/calls", key: key, json: ["callid": .string(bad)])
                #expect(api.status == .badRequest && api.errorField == "callid", "\(api.text.prefix(200))")
            }
            #expect(try await hookline.call(.get, "/v1/calls", key: key)["data"]?.arrayValue?.isEmpty == true, "nothing was stored")
        }
    }
}
