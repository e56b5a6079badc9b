import HooklineCore
import Testing

/// Credentials stay out of what is shown back, and what a webhook or an event may hold is bounded
/// where it is saved.
@Suite struct SecretsAndBoundsTests {
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

    @Test func aFormatOnlyFitsTimestamps() throws {
        #expect(throws: TemplateError.misappliedFormat(name: "unix", token: "ani", type: .string)) {
            try Template(format: .json, body: #"{"a": "%ani|unix%"}"#).compile()
        }
        _ = try Template(format: .json, body: #"{"a": "%call_start_time|unix%"}"#).compile()
        #expect(throws: FieldError.self) { try Self.settings(["headers": ["X-When": "%ani|date%"]]) }
    }

    @Test func durationsAndCountsAreNeverNegative() throws {
        let validator = TokenValidator()
        #expect(throws: FieldError("answered_time", "must be 0 or more")) { try validator.validate(["answered_time": -1], for: .callEnd) }
        #expect(throws: FieldError("repeat_caller", "must be from 0 to 1")) { try validator.validate(["repeat_caller": 2], for: .callBegin) }
        #expect(try validator.validate(["answered_time": 0, "repeat_caller": 1], for: .callEnd)["answered_time"] == 0)
    }

    @Test func aPhoneNumberPast64BitsKeepsItsDigits() throws {
        let body = try JSONParser.parse(#"{"ani": 123456789012345678901234567890, "dialed_time": 12}"#)
        let values = try TokenValidator().validate(body, for: .callEnd)
        #expect(values["ani"] == "123456789012345678901234567890")
        #expect(throws: FieldError.self) { try TokenValidator().validate(try JSONParser.parse(#"{"dialed_time": 123456789012345678901234567890}"#), for: .callEnd) }
    }
}
