import HooklineCore
@testable import HooklineServer
import Testing

// How the API reads webhook and source bodies (the readers live beside their routes, in
// HooklineServer/API/): every mistake names its field, and what is shown back reads back.

/// Scopes, conditions, answer rules, captures and presets, each mistake at its field.
@Suite struct WebhookBodyTests {
    static let base: JSONObject = ["name": "w", "url": "http://x.example/", "template": ["format": "json", "body": "{}"], "triggers": ["call.end"]]

    /// The field a body with these fields over `base` is refused at; nil when it reads.
    static func error(_ extra: JSONObject) -> FieldError? {
        do {
            _ = try WebhookSettings(json: .object(base.merging(extra)))
            return nil
        } catch { return error }
    }

    @Test func readsScopesAndConditionsNamingTheFieldAtFault() throws {
        let base = WebhookBodyTests.base
        func error(_ extra: JSONObject) -> FieldError? { WebhookBodyTests.error(extra) }
        #expect(error(["conditions": [["token": "dialstaus", "op": "in", "value": ["ANSWER"]]]])?.field == "conditions[0].token")
        #expect(error(["conditions": [["token": "dialstatus", "op": "in", "value": ["ANSWERED"]]]])?.field == "conditions[0].value")
        #expect(error(["conditions": [["token": "answered_time", "op": "gte", "value": "thirty"]]])?.field == "conditions[0].value")
        #expect(error(["conditions": [["token": "answered_time", "op": "between", "value": 1]]])?.field == "conditions[0].op")
        #expect(error(["scope": ["campaigns": "cmp_1"]])?.field == "scope.campaigns")
        #expect(error(["scope": ["treatments": [["question": "Department"]]]])?.field == "scope.treatments[0].response")
        #expect(error(["answer_rule": ["path": "$..status", "equals": "ok"]])?.field == "answer_rule.path")
        #expect(error(["capture": ["$.order_id": "order"]])?.field == "capture.$.order_id")
        #expect(error(["preset": "roistat.crm"])?.field == "preset")
        #expect(error(["template": nil, "preset": "roistat.crm"])?.field == "preset.name")
        #expect(error(["template": nil, "preset": "roistat.crm.lead", "triggers": ["lead.created"]])?.field == "preset.user")
        #expect(error(["template": nil, "preset": ["name": "roistat.crm.lead", "user": "u", "password": "p"], "triggers": ["call.end"]])?.field == "triggers[0]")
        #expect(error(["method": "GET"])?.field == "method")
        #expect(error(["headers": ["X-Call": "%calid%"]])?.field == "headers")
        let read = try WebhookSettings(json: .object(base.merging([
            "conditions": [["token": "dialstatus", "op": "in", "value": ["ANSWER"]], ["token": "answered_time", "op": "gte", "value": 30]],
            "placements": [["treatment": ["question": "Department", "response": "Sales"], "moment": "end"]], "first_call_only": true,
            "answer_rule": ["path": "$.status", "equals": "ok"], "capture": ["$.data.order_id": "order_id"],
        ])))
        #expect(read.conditions.count == 2 && read.firstCallOnly && read.scope.placements.count == 1)
        #expect(try WebhookSettings(json: .object(read.json)) == read)
    }

    @Test func aPresetBringsItsSettingsAndHidesItsPassword() throws {
        let read = try WebhookSettings(json: [
            "name": "crm", "url": "http://crm.example/hook", "preset": ["name": "roistat.crm.lead", "user": "demouser", "password": "secret"],
        ])
        #expect(read.method == .get && read.triggers == [.leadCreated, .callBegin] && read.firstCallOnly)
        #expect(read.answerRule == AnswerRule(path: try JSONPath(parsing: "$.status"), equals: "ok"))
        #expect(read.captures == [AnswerCapture(path: try JSONPath(parsing: "order_id"), token: "order_id")])
        #expect(read.json["preset"] == ["name": "roistat.crm.lead", "user": "demouser"])
        #expect(!read.json.jsonText.contains("secret"))
        // A change that does not name the password keeps it.
        let renamed = try WebhookSettings(json: ["preset": ["name": "roistat.crm.lead", "user": "other"]], updating: read)
        #expect(renamed.template.presetChoice?.optionValues["password"] == "secret")
    }
}

/// Header values bounded where they are saved.
@Suite struct WebhookBodyBoundsTests {
    @Test func headerValuesAreBoundedAtSaveAndOnceRendered() throws {
        let webhook: JSONObject = [
            "name": "x", "url": "http://example.com/", "triggers": ["call.begin"], "template": ["format": "json", "body": "{}"],
        ]
        let large = String(repeating: "v", count: RequestHeadLimits.maximumValueBytes + 1)
        var body = webhook
        body["headers"] = ["X-Big": .string(large)]
        #expect(throws: FieldError("headers.X-Big", "must be at most \(RequestHeadLimits.maximumValueBytes) bytes")) {
            try WebhookSettings(json: .object(body))
        }
        let many = JSONObject((0..<8).map { ("X-H\($0)", JSONValue.string(String(repeating: "v", count: 8000))) })
        body["headers"] = .object(many)
        #expect(throws: FieldError.self) { try WebhookSettings(json: .object(body)) }

        // A placeholder fits at save and grows past the limit once rendered.
        body["headers"] = ["X-Name": "%ani_full_name%"]
        let settings = try WebhookSettings(json: .object(body))
        let rendered = try settings.compile(for: .callBegin).render(["ani_full_name": .string(String(repeating: "n", count: 250_000))])
        let problem = try #require(RequestHeadLimits.problem(headers: rendered.headers, target: "http://example.com/"))
        #expect(problem.contains("X-Name"))
        #expect(RequestHeadLimits.problem(headers: [HeaderField(name: "X-Name", value: "Ann")], target: "http://example.com/") == nil)
        let longURL = "http://example.com/?" + String(repeating: "q", count: RequestHeadLimits.maximumHeadBytes)
        #expect(RequestHeadLimits.problem(headers: [], target: longURL) != nil)
    }
}

/// Credentials stay out of what is shown back; bad addresses and Hookline's own headers are refused.
@Suite struct WebhookBodySecretsTests {
    static let base: JSONObject = [
        "name": "x", "url": "http://example.com/", "triggers": ["call.begin", "call.end"], "template": ["format": "json", "body": "{}"],
    ]

    static func settings(_ extra: JSONObject) throws(FieldError) -> WebhookSettings {
        try WebhookSettings(json: .object(base.merging(extra)))
    }

    @Test func aPasswordInTheURLIsRedactedAndKeptOnARoundTrip() throws {
        let saved = try Self.settings(["url": "https://crm:s3cret@example.com:8443/hook?a=1"])
        let shown = saved.json
        #expect(shown["url"] == "https://crm:[redacted]@example.com:8443/hook?a=1")
        #expect(!shown.jsonText.contains("s3cret"))
        let again = try WebhookSettings(json: .object(shown), updating: saved)
        #expect(again.url == saved.url)
        #expect(Redaction.redacted(url: "http://example.com/a@b") == "http://example.com/a@b")
        #expect(Redaction.redacted(url: "http://user@example.com/") == "http://user@example.com/")
        #expect(Redaction.redacted(url: "https://crm:pa\u{301}ss@Я.example/h?to=a@b") == "https://crm:[redacted]@Я.example/h?to=a@b")
        #expect(Redaction.redacted(url: "https://a:b@c:d@example.com") == "https://a:[redacted]@example.com")
        #expect(Redaction.redacted(url: "not a url: x@y") == "not a url: x@y")
        for (name, secret) in [("AUTHORIZATION", true), ("x-ApI-kEy", true), ("webhook-signature", true), ("Content-Type", false), ("ke", false), ("", false), ("X-Tóken", false)] {
            #expect(Redaction.isSecret(headerName: name) == secret, "\(name)")
        }
    }

    @Test(arguments: ["X-Session", "X-Api-Key", "Cookie", "X-Auth-User", "X-Access-Token", "X-Client-Secret", "X-Password", "Proxy-Authorization"])
    func secretLookingHeadersAreRedactedAndKeptOnARoundTrip(name: String) throws {
        let saved = try Self.settings(["headers": [name: "value-123", "X-Region": "south"]])
        let shown = saved.json
        #expect(shown["headers"]?[name] == .string(Redaction.placeholder))
        #expect(shown["headers"]?["X-Region"] == "south")
        let again = try WebhookSettings(json: .object(shown), updating: saved)
        #expect(again.headers == saved.headers)
    }

    @Test(arguments: ["http://example.com:0/", "http://example.com:99999/", "http://exa mple.com/", "http://example.com/\u{7}", "http://example.com/a\tb"])
    func urlsWithBadPortsOrControlCharactersAreRefused(url: String) {
        #expect(throws: FieldError.self) { try Self.settings(["url": .string(url)]) }
    }

    @Test(arguments: ["webhook-signature", "Webhook-Id", "webhook-timestamp"])
    func standardWebhooksHeadersAreHooklines(name: String) {
        #expect(throws: FieldError.self) { try Self.settings(["headers": [name: "v1,abc"]]) }
    }

    @Test func aFormatThatDoesNotFitItsTokenIsRefusedInAHeader() {
        #expect(throws: FieldError.self) { try Self.settings(["headers": ["X-When": "%ani|date%"]]) }
    }
}

/// A source's options, as the API takes them.
@Suite struct SourceOptionsTests {
    @Test func sourceOptionsAreTheKindsAndSecretsAreNeverShown() throws {
        #expect(throws: FieldError("options.key", "unknown option of roistat.call; it has none", kind: .unusable)) {
            try InboundSource.readOptions(["key": "x"], kind: .roistatCall)
        }
        #expect(throws: FieldError("options.password", "user and password go together: the token is md5(user + password)", kind: .unusable)) {
            try InboundSource.readOptions(["user": "u"], kind: .roistatCRM)
        }
        let options = try InboundSource.readOptions(["user": "u", "password": "p"], kind: .roistatCRM)
        let source = InboundSource(id: "src", accountID: "acc", name: "CRM", kind: .roistatCRM, options: options, createdAt: .now, updatedAt: .now)
        #expect(source.shownOptions == ["user": "u", "password": "[redacted]"])
        #expect(try InboundSource.readOptions(.object(source.shownOptions), kind: .roistatCRM, base: options) == options, "sent back as shown, the secret is kept")
    }
}
