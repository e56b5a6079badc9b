import HooklineCore
import Hummingbird
import Testing

@Suite struct AuthenticationTests {
    @Test func everyRouteButTheDescriptionNeedsTheRightKey() async throws {
        try await Hookline.run { hookline in
            let key = try await hookline.account()
            for (method, path) in [(HTTPRequest.Method.get, "/v1/webhooks"), (.post, "/v1/calls"), (.get, "/v1/deliveries"), (.get, "/v1/tokens"), (.post, "/v1/leads")] {
                for presented in [nil, "wrong", Hookline.adminKey] {
                    let answer = try await hookline.call(method, path, key: presented, body: "{}")
                    #expect(answer.status == .unauthorized, "\(method) \(path) with \(presented ?? "no key")")
                    #expect(answer.errorMessage?.contains("API key") == true)
                }
            }
            #expect(try await hookline.call(.get, "/v1/accounts", key: key).status == .unauthorized)
            #expect(try await hookline.call(.post, "/v1/accounts", key: nil, json: ["name": "x"]).status == .unauthorized)
            #expect(try await hookline.call(.get, "/v1/accounts", key: Hookline.adminKey).status == .ok)
            #expect(try await hookline.call(.get, "/openapi.json", key: nil).status == .ok)
        }
    }

    @Test func theBearerSchemeIsReadInAnyCaseWithSpacesAroundTheKey() async throws {
        try await Hookline.run { hookline in
            let key = try await hookline.account()
            for header in ["Bearer \(key)", "bearer \(key)", "BEARER  \(key) "] {
                #expect(try await hookline.call(.get, "/v1/webhooks", key: nil, headers: [.authorization: header]).status == .ok, "\(header)")
            }
            for header in ["Bearer", "Bearer ", "Basic \(key)", "Bearer\(key)", "Bearerx \(key)", "Bearer \(key)x"] {
                #expect(try await hookline.call(.get, "/v1/webhooks", key: nil, headers: [.authorization: header]).status == .unauthorized, "\(header)")
            }
        }
    }

    @Test func anAccountKeyIsShownOnceAndStoredHashed() async throws {
        try await Hookline.run { hookline in
            let created = try await hookline.call(.post, "/v1/accounts", key: Hookline.adminKey, json: ["name": "Acme"])
            let apiKey = try #require(created["api_key"]?.stringValue)
            #expect(apiKey.hasPrefix("hk_"))
            let listed = try await hookline.call(.get, "/v1/accounts", key: Hookline.adminKey)
            #expect(listed["data"]?.arrayValue?.count == 1)
            #expect(!listed.text.contains(apiKey))
            #expect(try await hookline.call(.get, "/v1/webhooks", key: apiKey).status == .ok)
        }
    }
}

@Suite struct IsolationTests {
    @Test func anotherAccountCanNeitherReadNorChangeWhatIsNotItsOwn() async throws {
        try await Receiver.run { receiver in
            try await Hookline.run { hookline in
                let a = try await hookline.account("A")
                let b = try await hookline.account("B")
                let webhook = try await hookline.webhook(key: a, url: receiver.url("/ok/a"))
                try await hookline.call(.post, "/v1/calls", key: a, json: ["callid": "a-call"])
                try await hookline.call(.post, "/v1/leads", key: a, json: ["lead_id": "a-lead"])
                try await eventually("delivered") { try await hookline.deliveries(key: a).count == 1 }
                let delivery = try #require(try await hookline.deliveries(key: a).first?["id"]?.stringValue)

                let attempts: [(HTTPRequest.Method, String, String?)] = [
                    (.get, "/v1/webhooks/\(webhook)", nil),
                    (.patch, "/v1/webhooks/\(webhook)", #"{"enabled": false}"#),
                    (.delete, "/v1/webhooks/\(webhook)", nil),
                    (.get, "/v1/calls/a-call", nil),
                    (.post, "/v1/calls/a-call/end", #"{"dialstatus": "ANSWER"}"#),
                    (.get, "/v1/leads/a-lead", nil),
                    (.post, "/v1/messages", #"{"lead_id": "a-lead", "message_text": "hi"}"#),
                    (.get, "/v1/deliveries/\(delivery)", nil),
                    (.post, "/v1/deliveries/\(delivery)/replay", nil),
                ]
                for (method, path, body) in attempts {
                    let answer = try await hookline.call(method, path, key: b, body: body)
                    #expect(answer.status == .notFound, "\(method) \(path): \(answer.text)")
                }
                #expect(try await hookline.call(.get, "/v1/webhooks", key: b)["data"] == [])
                #expect(try await hookline.call(.get, "/v1/calls", key: b)["data"] == [])
                #expect(try await hookline.call(.get, "/v1/leads", key: b)["data"] == [])
                #expect(try await hookline.deliveries(key: b, query: "?webhook_id=\(webhook)").isEmpty)

                // A's things are untouched.
                #expect(try await hookline.call(.get, "/v1/webhooks/\(webhook)", key: a)["enabled"] == true)
                #expect(try await hookline.call(.get, "/v1/calls/a-call", key: a)["status"] == "in_progress")
                #expect(try await hookline.delivery(key: a, delivery)["attempt_count"] == 1)

                // B may use the same call id for its own call.
                #expect(try await hookline.call(.post, "/v1/calls", key: b, json: ["callid": "a-call"]).status == .created)
            }
        }
    }
}

@Suite struct IngestTests {
    @Test func callsGetAnIdWhenTheSourceSendsNone() async throws {
        try await Hookline.run { hookline in
            let key = try await hookline.account()
            let answer = try await hookline.call(.post, "/v1/calls", key: key, json: ["ani": "7776734736"])
            #expect(answer.status == .created)
            let id = try #require(answer["id"]?.stringValue)
            #expect(id.count == 36)
            let call = try await hookline.call(.get, "/v1/calls/\(id)", key: key)
            #expect(call["values"]?["callid"]?.stringValue == id)
            #expect(call["values"]?["ani"] == "7776734736")
        }
    }

    @Test func endingACallTwiceReturnsTheFirstResult() async throws {
        try await Hookline.run { hookline in
            let key = try await hookline.account()
            try await hookline.call(.post, "/v1/calls", key: key, json: ["callid": "c1"])
            let first = try await hookline.call(.post, "/v1/calls/c1/end", key: key, json: ["dialstatus": "ANSWER", "answered_time": 29])
            let second = try await hookline.call(.post, "/v1/calls/c1/end", key: key, json: ["dialstatus": "BUSY"])
            #expect(first.status == .ok)
            #expect(second.status == .ok)
            #expect(second.json == first.json)
            let call = try await hookline.call(.get, "/v1/calls/c1", key: key)
            #expect(call["status"] == "ended")
            #expect(call["values"]?["dialstatus"] == "ANSWER")
        }
    }

    @Test func anIdempotencyKeyMakesARepeatANoOp() async throws {
        try await Receiver.run { receiver in
            try await Hookline.run { hookline in
                let key = try await hookline.account()
                _ = try await hookline.webhook(key: key, url: receiver.url("/ok/once"), triggers: [.leadCreated])
                let body: JSONValue = ["lead_name": "Robert", "lead_phone": "+11230001122", "lead_kind": "callback"]
                let first = try await hookline.call(.post, "/v1/leads", key: key, json: body, headers: [.init("Idempotency-Key")!: "form-42"])
                let again = try await hookline.call(.post, "/v1/leads", key: key, json: body, headers: [.init("Idempotency-Key")!: "form-42"])
                #expect(first.status == .created)
                #expect(again.status == .created)
                #expect(again.json == first.json)
                let reused = try await hookline.call(.post, "/v1/leads", key: key, json: ["lead_name": "Other"], headers: [.init("Idempotency-Key")!: "form-42"])
                #expect(reused.status == .unprocessableContent)
                #expect(reused.errorField == "Idempotency-Key")
                #expect(try await hookline.call(.get, "/v1/leads", key: key)["data"]?.arrayValue?.count == 1)
                try await eventually("delivered") { await receiver.recorder.requests.count == 1 }
                #expect(try await hookline.deliveries(key: key).count == 1)
            }
        }
    }

    @Test func messagesRenderWithTheirLeadsValues() async throws {
        try await Receiver.run { receiver in
            try await Hookline.run { hookline in
                let key = try await hookline.account()
                _ = try await hookline.webhook(
                    key: key, url: receiver.url("/ok/message"), triggers: [.leadMessage],
                    body: #"{"leadId": "%lead_id%", "title": "%message_title%", "text": "%message_text%", "name": "%lead_name%"}"#)
                try await hookline.call(.post, "/v1/leads", key: key, json: ["lead_id": "155", "lead_name": "Роберт"])
                let message = try await hookline.call(.post, "/v1/messages", key: key, json: [
                    "lead_id": "155", "message_kind": "duplicate_lead", "message_title": "Duplicated lead", "message_text": "Дубль",
                ])
                #expect(message.status == .created)
                #expect(message["lead_id"] == "155")
                try await eventually("delivered") { await receiver.recorder.requests.count == 1 }
                #expect(await receiver.recorder.requests.first?.json == ["leadId": "155", "title": "Duplicated lead", "text": "Дубль", "name": "Роберт"])
                #expect(try await hookline.call(.get, "/v1/leads/155", key: key)["message_count"] == 1)
            }
        }
    }

    @Test func aBodyOverOneMebibyteIsRefused() async throws {
        try await Hookline.run { hookline in
            let key = try await hookline.account()
            let big = #"{"ani": ""# + String(repeating: "x", count: 1024 * 1024 + 10) + #""}"#
            let answer = try await hookline.call(.post, "/v1/calls", key: key, body: big)
            #expect(answer.status == .contentTooLarge)
            #expect(answer.errorField == "body")
            #expect(try await hookline.call(.get, "/v1/calls", key: key)["data"] == [])
        }
    }

    @Test func theCatalogueIsListedByCategory() async throws {
        try await Hookline.run { hookline in
            let key = try await hookline.account()
            let answer = try await hookline.call(.get, "/v1/tokens", key: key)
            let categories = try #require(answer["categories"]?.arrayValue)
            #expect(categories.map { $0["name"] } == ["call_begin", "call_end", "dni", "location_info", "lead", "message", "after_call", "conversion", "update", "source", "alert"])
            let callBegin = try #require(categories[0]["tokens"]?.arrayValue)
            #expect(callBegin.first?["name"] == "callid")
            #expect(callBegin.first?["example"] == "093cc03c.e6a4.6ac6.978f.740b10afeaca")
            let callEnd = try #require(categories[1]["tokens"]?.arrayValue)
            let dialstatus = try #require(callEnd.first { $0["name"] == "dialstatus" })
            #expect(dialstatus["allowed_values"]?.arrayValue?.count == 8)
        }
    }
}
