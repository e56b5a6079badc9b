import Testing
import HooklineCore
@testable import HooklineServer

@Suite struct WebhookSettingsTests {
    static let valid: JSONObject = [
        "name": "CRM", "url": "https://crm.example.com/hook", "triggers": ["call.begin"],
        "template": ["format": "json", "body": #"{"id": "%callid%"}"#],
    ]

    @Test func fillsDefaults() throws {
        let settings = try WebhookSettings(json: .object(Self.valid))
        #expect(settings.method == .post)
        #expect(settings.successCodes == Array(200...299))
        #expect(settings.retry == .standard)
        #expect(settings.enabled)
        #expect(settings.headers.isEmpty)
    }

    @Test func aPatchChangesOnlyWhatItNames() throws {
        let base = try WebhookSettings(json: .object(Self.valid))
        let patched = try WebhookSettings(json: ["enabled": false, "retry": ["max_age": 60]], updating: base)
        #expect(!patched.enabled)
        #expect(patched.retry == RetryPolicy(schedule: RetryPolicy.standard.schedule, maximumAge: 60))
        #expect(patched.url == base.url)
    }

    @Test func roundTripsThroughItsJSON() throws {
        var input = Self.valid
        input["headers"] = ["X-Token": "abc", "Accept": "application/json"]
        input["retry"] = ["schedule": [0, 0.5, 30], "max_age": 3600]
        let settings = try WebhookSettings(json: .object(input))
        // Shown back, the token is redacted; sent back unchanged, the saved one stays.
        #expect(settings.json["headers"]?["X-Token"] == .string(Redaction.placeholder))
        #expect(try WebhookSettings(json: .object(settings.json), updating: settings) == settings)
        #expect(settings.headers.map(\.name) == ["X-Token", "Accept"])
    }

    static let refusals: [(String, JSONValue, String, String)] = [
        ("url", "ftp://example.com/x", "url", "must use http or https"),
        ("url", "not a url", "url", "spaces or control characters"),
        ("url", "http://exa%mple.com/", "url", "not a valid URL"),
        ("url", "http:///path", "url", "must name a host"),
        ("method", "DELETE", "method", "must be one of POST, PUT, PATCH, GET"),
        ("method", "GET", "method", "GET sends no body"),
        ("template", ["format": "yaml", "body": "x"], "template.format", "must be one of json"),
        ("template", ["format": "json", "body": "{\"a\": }"], "template.body", "syntax error at line 1, column 7"),
        ("template", ["format": "json", "body": "{\"a\": \"%anii%\"}"], "template.body", "unknown token '%anii%'; nearest known: ani"),
        ("success_codes", [200, 700], "success_codes[1]", "from 100 to 599"),
        ("success_codes", [], "success_codes", "non-empty"),
        ("triggers", ["call.start"], "triggers[0]", "must be one of call.begin"),
        ("headers", ["Content-Length": "5"], "headers.Content-Length", "set by Hookline"),
        ("headers", ["X-A": "a\r\nX-B: b"], "headers.X-A", "line breaks"),
        ("headers", ["Bad Name": "x"], "headers.Bad Name", "not a valid header name"),
        ("retry", ["schedule": [0, "soon"]], "retry.schedule[1]", "number of seconds"),
        ("enabled", "yes", "enabled", "true or false"),
        ("colour", "red", "colour", "unknown field"),
        ("name", "", "name", "non-empty"),
    ]

    @Test(arguments: refusals)
    func refusesBadFieldsByName(key: String, value: JSONValue, field: String, message: String) {
        var input = Self.valid
        input[key] = value
        do {
            _ = try WebhookSettings(json: .object(input))
            Issue.record("accepted \(key)=\(value)")
        } catch {
            #expect(error.field == field)
            #expect(error.message.contains(message), "\(error.message)")
        }
    }

    @Test func requiresTheEssentials() {
        for key in ["name", "url", "triggers"] {
            var input = Self.valid
            input[key] = nil
            #expect(throws: FieldError(key, "is required")) { try WebhookSettings(json: .object(input)) }
        }
        var input = Self.valid
        input["template"] = nil
        #expect(throws: FieldError("template", "is required (or name a preset)")) { try WebhookSettings(json: .object(input)) }
    }
}

@Suite struct RedactionTests {
    @Test func hidesSecretHeaders() {
        let headers = [
            HeaderField(name: "Authorization", value: "Bearer x"), HeaderField(name: "X-Api-Key", value: "k"),
            HeaderField(name: "X-Webhook-Secret", value: "s"), HeaderField(name: "Content-Type", value: "application/json"),
        ]
        #expect(Redaction.redacted(headers).map(\.value) == ["[redacted]", "[redacted]", "[redacted]", "application/json"])
    }
}
