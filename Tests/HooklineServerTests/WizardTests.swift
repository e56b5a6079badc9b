import HooklineCore
import Hummingbird
import Testing

/// The Add Webhook wizard of seed 004, both ways, step by step as a browser without JavaScript
/// posts it.
@Suite struct WizardTests {
    static func signedIn(_ hookline: Hookline, key given: String? = nil) async throws -> (key: String, browser: Browser) {
        var key = given ?? ""
        if given == nil { key = try await hookline.account() }
        try await hookline.call(.post, "/v1/users", key: key, json: ["email": "ann@example.com", "password": "correct horse"])
        let browser = Browser(hookline)
        _ = try await browser.signIn("ann@example.com", "correct horse")
        return (key, browser)
    }

    @Test func createTemplateChecksTheFormatThenMapsFieldsToTokensAndSavesBoth() async throws {
        try await Hookline.run { hookline in
            let (key, browser) = try await Self.signedIn(hookline)
            let location = try await hookline.call(.post, "/v1/locations", key: key, json: ["location_name": "Springwood Ford"])["id"]?.stringValue ?? ""
            var page = try await browser.request(.get, "/webhooks/new?location=\(location)")
            #expect(page.status == .ok && page.text.contains("Webhook Name"))
            let start: [(String, String)] = [
                ("mode", "create"), ("name", "Dealer CRM"), ("url", "https://crm.example.com/hook"), ("trigger", "call.end"),
                ("template_name", "Dealer lead"), ("template_group", "Dealers"), ("template_type", "json"), ("action", "next"),
            ]
            // A broken example stays on the first step, with its line and column beside the field.
            page = try await browser.submit(page.text, to: "/webhooks/new", start + [("template_example", "{\n  \"first\": \"Freddy\",\n  \"last\": \n}")])
            #expect(page.status == .unprocessableContent)
            #expect(page.text.contains("id=\"template_example-error\"") && page.text.contains("line 4, column 1"))
            #expect(page.text.contains("name=\"step\" value=\"start\""))
            let example = #"{"first": "Freddy", "last": "Krueger", "phone": "7776734736"}"#
            page = try await browser.submit(page.text, to: "/webhooks/new", start + [("template_example", example)])
            #expect(page.status == .ok && page.text.contains("name=\"step\" value=\"fields\""))
            #expect(page.text.contains("<code>$.first</code>") && page.text.contains("<optgroup label=\"call_begin\">"))
            #expect(page.text.contains("ani_first_name: First Name"))
            // An unknown token is refused beside its field.
            page = try await browser.submit(page.text, to: "/webhooks/new", [("map.$.first", "no_such_token"), ("action", "next")])
            #expect(page.status == .unprocessableContent && page.text.contains("unknown token"))
            page = try await browser.submit(
                page.text, to: "/webhooks/new",
                [("map.$.first", "ani_first_name"), ("map.$.last", "ani_last_name"), ("map.$.phone", "ani"), ("action", "next")])
            #expect(page.text.contains("name=\"step\" value=\"advanced\""))
            // GET takes the query type only: the API's own rule, beside the method.
            let advanced: [(String, String)] = [("header_name", "X-Dealer"), ("header_value", "42"), ("success_code", "202"), ("success_other", "")]
            page = try await browser.submit(page.text, to: "/webhooks/new", advanced + [("method", "GET"), ("action", "next")])
            #expect(page.status == .unprocessableContent && page.text.contains("id=\"method-error\"") && page.text.contains("GET sends no body"))
            // What was typed on the step stays in its fields.
            #expect(page.text.contains("value=\"X-Dealer\""))
            page = try await browser.submit(page.text, to: "/webhooks/new", advanced + [("method", "PUT"), ("action", "next")])
            #expect(page.text.contains("name=\"step\" value=\"summary\""))
            #expect(page.text.contains("Dealer lead") && page.text.contains("%ani_first_name%") && page.text.contains("202") && page.text.contains("PUT"), "\(page.text.components(separatedBy: "<h2>Summary</h2>").last ?? "")")
            let finished = try await browser.submit(page.text, to: "/webhooks/new", [("action", "finish")])
            #expect(finished.status == .seeOther)
            let webhooks = try await hookline.call(.get, "/v1/webhooks", key: key)["data"]?.arrayValue ?? []
            let webhook = try #require(webhooks.first)
            #expect(webhooks.count == 1 && webhook["name"] == "Dealer CRM" && webhook["method"] == "PUT" && webhook["triggers"] == ["call.end"])
            #expect(webhook["headers"]?["X-Dealer"] == "42" && webhook["success_codes"] == [202])
            #expect(webhook["scope"] == "placements" && webhook["placements"] == [["location": .string(location), "moment": "end"]])
            let templates = try await hookline.call(.get, "/v1/templates", key: key)["data"]?.arrayValue ?? []
            #expect(templates.count == 1 && templates.first?["group"] == "Dealers")
            #expect(templates.first?["body"]?.stringValue?.contains("\"first\":\"%ani_first_name%\"") == true, "\(templates)")
            #expect(webhook["template"]?["id"] == templates.first?["id"])
        }
    }

    @Test func existingTemplatesOfferTheAccountsTemplatesAndThePresetsWithTheirOptions() async throws {
        try await Hookline.run { hookline in
            let (key, browser) = try await Self.signedIn(hookline)
            let template = try await hookline.call(
                .post, "/v1/templates", key: key, json: ["name": "Plain", "group": "Agency", "format": "json", "body": #"{"id": "%callid%"}"#])["id"]?.stringValue ?? ""
            var page = try await browser.request(.get, "/webhooks/new")
            #expect(page.text.contains("value=\"tpl:\(template)\"") && page.text.contains("value=\"preset:roistat.call\""))
            // Nothing chosen: the template field says so.
            let start: [(String, String)] = [("mode", "existing"), ("name", "Roistat"), ("url", "https://roistat.example.com/call"), ("trigger", "call.end")]
            page = try await browser.submit(page.text, to: "/webhooks/new", start + [("template", ""), ("action", "next")])
            #expect(page.status == .unprocessableContent && page.text.contains("id=\"template-error\""))
            page = try await browser.submit(page.text, to: "/webhooks/new", start + [("template", "preset:roistat.call"), ("action", "next")])
            #expect(page.text.contains("name=\"step\" value=\"options\"") && page.text.contains("Options of roistat.call"), "\(page.text.components(separatedBy: "field-error").dropFirst().map { $0.prefix(200) })")
            // Back keeps every choice.
            let back = try await browser.submit(page.text, to: "/webhooks/new", [("action", "back")])
            #expect(back.text.contains("name=\"step\" value=\"start\"") && back.text.contains("value=\"Roistat\""))
            page = try await browser.submit(back.text, to: "/webhooks/new", start + [("template", "preset:roistat.call"), ("action", "next")])
            let options = Preset.roistatCall.options
            let filled = options.filter { $0.kind == .string }.map { ("option.\($0.name)", "value-\($0.name)") }
            page = try await browser.submit(page.text, to: "/webhooks/new", filled + [("action", "next")])
            #expect(page.text.contains("name=\"step\" value=\"advanced\""), "\(page.text.prefix(3000))")
            #expect(page.text.contains("(the preset's protocol)") && page.text.contains("Wait for the recording"))
            // Roistat's after-call webhook carries the recording's link: wait for it, 20 minutes at most.
            let tooLong = try await browser.submit(page.text, to: "/webhooks/new", [("success_code", "200"), ("hold", "on"), ("hold_minutes", "61"), ("action", "next")])
            #expect(tooLong.status == .unprocessableContent && tooLong.text.contains("id=\"hold-error\"") && tooLong.text.contains("from 1 to 60"))
            page = try await browser.submit(tooLong.text, to: "/webhooks/new", [("success_code", "200"), ("hold", "on"), ("hold_minutes", "20"), ("action", "next")])
            #expect(page.text.contains("Wait for the recording") && page.text.contains("rec_audiourl, up to 20 minutes"), "\(page.text.prefix(3000))")
            let finished = try await browser.submit(page.text, to: "/webhooks/new", [("action", "finish")])
            #expect(finished.status == .seeOther, "\(finished.text.prefix(2000))")
            let webhook = try #require(try await hookline.call(.get, "/v1/webhooks", key: key)["data"]?.arrayValue?.first)
            #expect(webhook["preset"]?["name"] == "roistat.call")
            #expect(webhook["hold"] == ["until": ["rec_audiourl"], "max_seconds": 1200])
        }
    }
}
