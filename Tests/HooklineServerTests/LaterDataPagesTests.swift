import Foundation
import HooklineCore
import Hummingbird
import Testing

/// What a marketer sees of later data: the edit form's hold, held deliveries in the log with what
/// they wait for, and a call's timeline with each update and conversion.
@Suite struct LaterDataPagesTests {
    @Test func theEditFormHoldsTheEndAndTheCallPageShowsWhatChanged() async throws {
        try await Hookline.run(runsWorkers: false) { hookline in
            let (key, browser) = try await WizardTests.signedIn(hookline)
            let webhook = try await hookline.webhook(key: key, url: "https://crm.example.com/hook", triggers: [.callEnd, .callUpdated])
            var page = try await browser.request(.get, "/webhooks/\(webhook)/edit")
            #expect(page.text.contains("name=\"hold_minutes\"") && !page.text.contains("name=\"hold\" value=\"on\" checked"))
            let form: [(String, String)] = [
                ("name", "CRM"), ("url", "https://crm.example.com/hook"), ("trigger", "call.end"), ("trigger", "call.updated"), ("success_codes", "200-299"), ("method", "POST"),
                ("hold", "on"),
            ]
            page = try await browser.submit(page.text, to: "/webhooks/\(webhook)/edit", form + [("hold_minutes", "soon")])
            #expect(page.status == .unprocessableContent && page.text.contains("id=\"hold-error\"") && page.text.contains("value=\"CRM\""))
            let noEnd = try await browser.submit(page.text, to: "/webhooks/\(webhook)/edit", form.filter { $0.1 != "call.end" } + [("hold_minutes", "5")])
            #expect(noEnd.status == .unprocessableContent && noEnd.text.contains("id=\"hold-error\"") && noEnd.text.contains("add call.end"))
            #expect(try await browser.submit(page.text, to: "/webhooks/\(webhook)/edit", form + [("hold_minutes", "5")]).status == .seeOther)
            #expect(try await hookline.call(.get, "/v1/webhooks/\(webhook)", key: key)["hold"] == ["until": ["rec_audiourl"], "max_seconds": 300])
            page = try await browser.request(.get, "/webhooks/\(webhook)/edit")
            #expect(page.text.contains("name=\"hold\" value=\"on\" checked") && page.text.contains("value=\"5\""))

            try await hookline.call(.post, "/v1/calls", key: key, json: ["callid": "c1", "ani": "5550100"])
            try await hookline.call(.post, "/v1/calls/c1/end", key: key, json: ["dialstatus": "ANSWER"])
            let held = try await browser.request(.get, "/deliveries?status=held")
            #expect(held.status == .ok && held.text.contains("badge held") && held.text.contains("waiting for rec_audiourl until"), "\(held.text)")
            #expect(try await browser.request(.get, "/deliveries?status=pending").text.contains("No deliveries"))

            try await hookline.call(.patch, "/v1/calls/c1", key: key, json: ["rec_audiourl": "https://rec.example/c1.mp3", "call_note": "<b>call back</b>"])
            try await hookline.call(.post, "/v1/conversions", key: key, json: ["call_id": "c1", "conversion_name": "Sale", "conversion_value": 99, "conversion_currency": "USD"])
            let call = try await browser.request(.get, "/calls/c1")
            #expect(call.text.contains("Call updated") && call.text.contains("<code>%rec_audiourl%</code>: <del>unknown</del> → <ins>https://rec.example/c1.mp3</ins>"), "\(call.text)")
            #expect(call.text.contains("&lt;b&gt;call back&lt;/b&gt;") && !call.text.contains("<b>call back"))
            #expect(call.text.contains("Converted: Sale 99.0 USD") || call.text.contains("Converted: Sale 99 USD"), "\(call.text)")
            #expect(call.text.contains("version 4"))
            #expect(call.text.contains("Call updated, through the API with the account"), "who reported the update")
            #expect(try await browser.request(.get, "/deliveries?status=held").text.contains("No deliveries"))
        }
    }
}
