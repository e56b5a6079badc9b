import HooklineCore
@testable import HooklineServer
import Hummingbird
import Testing

/// Locations' Webhook Management tab, campaigns and call treatments enabling webhooks, a
/// webhook's edit form, and a call's timeline: seed 004's screens over HTTP.
@Suite struct PlacePagesTests {
    @Test func aLocationsTabListsItsWebhooksWithTheirDayAndAddsWebhooksForIt() async throws {
        try await Receiver.run { receiver in
            try await Hookline.run { hookline in
                let (key, browser) = try await WizardTests.signedIn(hookline)
                let location = try #require(try await hookline.call(.post, "/v1/locations", key: key, json: ["location_name": "Springwood Ford"])["id"]?.stringValue)
                let own = try await hookline.webhook(
                    key: key, url: receiver.url("/own"), triggers: [.callBegin], extra: ["name": "Store CRM", "placements": [["location": .string(location), "moment": "beginning"]]])
                _ = try await hookline.webhook(key: key, url: receiver.url("/all"), triggers: [.callBegin], extra: ["name": "Head office"])
                try await hookline.call(.post, "/v1/calls", key: key, json: ["callid": "c1", "ani": "79990009911", "location": .string(location)])
                try await eventually(timeout: .seconds(60), "two deliveries") { try await hookline.deliveries(key: key).count == 2 }
                let list = try await browser.request(.get, "/locations")
                #expect(list.text.contains("Springwood Ford") && list.text.contains("/locations/\(location)"))
                let tab = try await browser.request(.get, "/locations/\(location)")
                let ownSection = try #require(tab.text.components(separatedBy: "Account-wide webhooks").first)
                #expect(ownSection.contains(">Store CRM</a>") && !ownSection.contains(">Head office</a>"))
                #expect(ownSection.contains("/webhooks/\(own)/edit") && ownSection.contains("<td>1 in 24 h</td>"), "one delivery in 24 h")
                #expect(tab.text.contains("href=\"/webhooks/new?location=\(location)\""))
                let details = try await browser.request(.get, "/locations/\(location)?tab=details")
                #expect(details.text.contains("%location_name%") && details.text.contains("Springwood Ford"))
                // The tab enables a webhook on the location at a moment, and removes it there.
                let headOffice = try #require(try await hookline.call(.get, "/v1/webhooks", key: key)["data"]?.arrayValue?.first { $0["name"] == "Head office" }?["id"]?.stringValue)
                let noMoment = try await browser.submit(tab.text, to: "/locations/\(location)/webhooks", [("webhook_id", headOffice), ("moment", "middle")])
                #expect(noMoment.status == .unprocessableContent && noMoment.text.contains("id=\"moment-error\""))
                #expect(try await browser.submit(tab.text, to: "/locations/\(location)/webhooks", [("webhook_id", headOffice), ("moment", "end")]).status == .seeOther)
                let placed = try await hookline.call(.get, "/v1/locations/\(location)/webhooks", key: key)["data"]?.arrayValue ?? []
                #expect(placed.contains { $0["webhook_id"] == .string(headOffice) && $0["moment"] == "end" })
                let enabledTab = try await browser.request(.get, "/locations/\(location)")
                #expect(enabledTab.text.contains("Webhooks enabled on this location") && enabledTab.text.contains("end of call"))
                #expect(try await browser.submit(enabledTab.text, to: "/locations/\(location)/webhooks/\(headOffice)/remove", [("moment", "end")]).status == .seeOther)
                #expect(try await hookline.call(.get, "/v1/webhooks/\(headOffice)/placements", key: key)["data"] == [])
            }
        }
    }

    /// Seed 004's flow as a marketer clicks it: the CRM webhook at the beginning on Radio and at the
    /// end on TV; each campaign's calls go at its own moment; removing one widens nothing.
    @Test func aCampaignOrATreatmentOptionEnablesAWebhookAndItsPageShowsWhere() async throws {
        try await Receiver.run { receiver in
            try await Hookline.run { hookline in
                let (key, browser) = try await WizardTests.signedIn(hookline)
                func campaign(_ name: String, _ number: String) async throws -> String {
                    try #require(try await hookline.call(.post, "/v1/campaigns", key: key, json: ["name": .string(name), "kind": "offline", "tracking_numbers": [.string(number)]])["id"]?.stringValue)
                }
                let (radio, tv) = (try await campaign("Radio spring", "7774839229"), try await campaign("TV", "7774830000"))
                let webhook = try await hookline.webhook(key: key, url: receiver.url("/crm"), triggers: [.callEnd], body: #"{"id": "%callid%", "at": "%call_end_time%"}"#)
                var page = try await browser.request(.get, "/campaigns/\(radio)")
                #expect(page.text.contains("Radio spring") && page.text.contains("beginning of call") && page.text.contains("limited to the places where it is enabled"))
                let refused = try await browser.submit(page.text, to: "/campaigns/\(radio)/webhooks", [("webhook_id", ""), ("moment", "beginning")])
                #expect(refused.status == .unprocessableContent && refused.text.contains("id=\"webhook_id-error\""))
                let noMoment = try await browser.submit(page.text, to: "/campaigns/\(radio)/webhooks", [("webhook_id", webhook)])
                #expect(noMoment.status == .unprocessableContent && noMoment.text.contains("id=\"moment-error\""))
                #expect(try await browser.submit(page.text, to: "/campaigns/\(radio)/webhooks", [("webhook_id", webhook), ("moment", "beginning")]).status == .seeOther)
                page = try await browser.request(.get, "/campaigns/\(tv)")
                #expect(try await browser.submit(page.text, to: "/campaigns/\(tv)/webhooks", [("webhook_id", webhook), ("moment", "end")]).status == .seeOther)
                let placements = try await hookline.call(.get, "/v1/webhooks/\(webhook)/placements", key: key)
                #expect(placements["scope"] == "placements")
                #expect(placements["data"]?.arrayValue?.map { [$0["campaign"], $0["moment"]] } == [[.string(radio), "beginning"], [.string(tv), "end"]])

                for (call, number) in [("radio-1", "7774839229"), ("tv-1", "7774830000"), ("other-1", "7770000000")] {
                    try await hookline.call(.post, "/v1/calls", key: key, json: ["callid": .string(call), "tracking": .string(number)])
                    try await hookline.call(.post, "/v1/calls/\(call)/end", key: key, json: ["dialstatus": "ANSWER"])
                }
                try await eventually("Radio's beginning and TV's end") { await receiver.recorder.requests(to: "/crm").count >= 2 }
                try await eventually("every call's deliveries made") { try await hookline.deliveries(key: key).count >= 2 }
                let sent = try await hookline.deliveries(key: key).map { "\($0["subject_id"]?.stringValue ?? "") \($0["event_kind"]?.stringValue ?? "")" }
                #expect(Set(sent) == ["radio-1 call.begin", "tv-1 call.end"] && sent.count == 2)

                page = try await browser.request(.get, "/campaigns/\(radio)")
                #expect(page.text.contains("beginning of call") && page.text.contains("/webhooks/\(webhook)"))
                var shown = try await browser.request(.get, "/webhooks/\(webhook)")
                #expect(shown.text.contains("campaign Radio spring") && shown.text.contains("campaign TV"))
                #expect(try await browser.submit(page.text, to: "/campaigns/\(radio)/webhooks/\(webhook)/remove", [("moment", "beginning")]).status == .seeOther)
                page = try await browser.request(.get, "/campaigns/\(tv)")
                #expect(try await browser.submit(page.text, to: "/campaigns/\(tv)/webhooks/\(webhook)/remove", [("moment", "end")]).status == .seeOther)
                // Enabled nowhere now: sent for no call, not for every call.
                #expect(try await hookline.call(.get, "/v1/webhooks/\(webhook)", key: key)["scope"] == "placements")
                shown = try await browser.request(.get, "/webhooks/\(webhook)")
                #expect(shown.text.contains("it is enabled on no campaign"))
                try await hookline.call(.post, "/v1/calls", key: key, json: ["callid": "radio-2", "tracking": "7774839229"])
                try await hookline.call(.post, "/v1/calls/radio-2/end", key: key, json: ["dialstatus": "ANSWER"])
                try await eventually("radio-2 recorded") { try await hookline.call(.get, "/v1/calls/radio-2", key: key)["ended_at"]?.isNull == false }
                #expect(try await hookline.deliveries(key: key).count == 2)

                page = try await browser.request(.get, "/treatments")
                let missing = try await browser.submit(page.text, to: "/treatments", [("question", "Department"), ("response", ""), ("webhook_id", webhook)])
                #expect(missing.status == .unprocessableContent && missing.text.contains("id=\"response-error\"") && missing.text.contains("value=\"Department\""))
                let option = try await browser.submit(page.text, to: "/treatments", [("question", "Department"), ("response", "Sales"), ("webhook_id", webhook)])
                #expect(option.status == .seeOther)
                let saved = try await hookline.call(.get, "/v1/webhooks/\(webhook)", key: key)
                #expect(saved["placements"] == [["treatment": ["question": "Department", "response": "Sales"], "moment": "end"]])
                #expect(try await browser.request(.get, "/webhooks/\(webhook)").text.contains("callers who chose Department → Sales"))
                page = try await browser.request(.get, "/treatments")
                #expect(try await browser.submit(page.text, to: "/treatments/remove", [("webhook_id", webhook), ("question", "Department"), ("response", "Sales")]).status == .seeOther)
                #expect(try await hookline.call(.get, "/v1/webhooks/\(webhook)", key: key)["placements"] == [])
            }
        }
    }

    @Test func theEditFormKeepsSecretsShowsMistakesBesideFieldsAndSaves() async throws {
        try await Hookline.run { hookline in
            let (key, browser) = try await WizardTests.signedIn(hookline)
            let webhook = try await hookline.webhook(key: key, url: "https://crm.example.com/hook", headers: ["Authorization": "Bearer s3cret", "X-Team": "sales"])
            var page = try await browser.request(.get, "/webhooks/\(webhook)/edit")
            #expect(!page.text.contains("s3cret") && page.text.contains("value=\"[redacted]\""))
            #expect(page.text.contains("value=\"200-299\""), "the default success codes as one range")
            let form: [(String, String)] = [
                ("name", "Renamed"), ("url", "https://crm.example.com/v2"), ("trigger", "call.begin"), ("header_name", "Authorization"), ("header_value", "[redacted]"),
                ("header_name", "X-Team"), ("header_value", "service"), ("method", "PUT"),
            ]
            page = try await browser.submit(page.text, to: "/webhooks/\(webhook)/edit", form + [("success_codes", "two hundred")])
            #expect(page.status == .unprocessableContent && page.text.contains("id=\"success_codes-error\"") && page.text.contains("value=\"Renamed\""))
            let saved = try await browser.submit(page.text, to: "/webhooks/\(webhook)/edit", form + [("success_codes", "200-201, 202")])
            #expect(saved.status == .seeOther)
            let after = try await hookline.call(.get, "/v1/webhooks/\(webhook)", key: key)
            #expect(after["name"] == "Renamed" && after["method"] == "PUT" && after["success_codes"] == [200, 201, 202] && after["triggers"] == ["call.begin"])
            #expect(after["headers"]?["X-Team"] == "service")
            let stored = try await hookline.call(.post, "/v1/webhooks/\(webhook)/rotate-secret", key: key)
            #expect(stored.status == .ok)
        }
    }

    @Test func aCallsTimelineShowsItsEventsAndDeliveriesInOrder() async throws {
        try await Receiver.run { receiver in
            try await Hookline.run { hookline in
                let (key, browser) = try await WizardTests.signedIn(hookline)
                _ = try await hookline.webhook(key: key, url: receiver.url("/crm"), triggers: [.callBegin, .callEnd], extra: ["name": "CRM"])
                try await hookline.call(.post, "/v1/calls", key: key, json: ["callid": "c9", "ani": "79990009911"])
                try await hookline.call(.post, "/v1/calls/c9/end", key: key, json: ["dialstatus": "ANSWER"])
                try await eventually(timeout: .seconds(60), "both deliveries") {
                    try await hookline.deliveries(key: key).filter { $0["status"] == "delivered" }.count == 2
                }
                let page = try await browser.request(.get, "/calls/c9")
                #expect(page.status == .ok)
                let timeline = try #require(page.text.components(separatedBy: "<ol class=\"timeline\">").last?.components(separatedBy: "</ol>").first)
                let order = ["Call began", "call.begin delivery to CRM queued", "Attempt 1 to CRM: HTTP 200", "Call ended (ANSWER)", "call.end delivery to CRM queued"]
                let positions = order.map { timeline.range(of: $0)?.lowerBound }
                #expect(positions.allSatisfy { $0 != nil }, "\(timeline)")
                #expect(positions.compactMap { $0 } == positions.compactMap { $0 }.sorted())
                #expect(try await browser.request(.get, "/calls/nope").status == .notFound)
                #expect(!page.text.contains("reported by source"), "an API call has no source")
            }
        }
    }
}

@Suite struct LogPagingTests {
    @Test func theLogIsPagedNewestFirstAndARotatedSecretIsShownOnce() async throws {
        try await Hookline.run(runsWorkers: false) { hookline in
            let (key, browser) = try await WizardTests.signedIn(hookline)
            let webhook = try await hookline.webhook(key: key, url: "http://127.0.0.1:9/never", triggers: [.callBegin])
            for index in 0..<55 { try await hookline.call(.post, "/v1/calls", key: key, json: ["callid": .string("p\(index)"), "ani": "79990009911"]) }
            let first = try await browser.request(.get, "/deliveries?webhook_id=\(webhook)&status=pending")
            #expect(first.text.components(separatedBy: "<tr>").count - 2 == 50, "a page holds 50")
            #expect(first.text.range(of: ">p54<")!.lowerBound < first.text.range(of: ">p53<")!.lowerBound, "newest first")
            let marker = "href=\""
            let next = try #require(first.text.components(separatedBy: "rel=\"next\"").first?.components(separatedBy: marker).last?.prefix { $0 != "\"" })
            #expect(next.contains("cursor=") && next.contains("status=pending"))
            let second = try await browser.request(.get, Browser.unescaped(String(next)))
            #expect(second.text.components(separatedBy: "<tr>").count - 2 == 5 && second.text.contains(">p0<") && !second.text.contains("rel=\"next\""))

            let page = try await browser.request(.get, "/webhooks/\(webhook)")
            let rotated = try await browser.submit(page.text, to: "/webhooks/\(webhook)/rotate-secret", [])
            #expect(rotated.status == .ok && rotated.text.contains("New signing secret (shown once)"))
            #expect(!(try await browser.request(.get, "/webhooks/\(webhook)").text.contains("New signing secret")))
        }
    }
}

@Suite struct SuccessCodesTextTests {
    @Test func runsReadAsRangesAndBack() {
        #expect(SuccessCodesText.text(Array(200...299) + [302]) == "200-299, 302")
        #expect(SuccessCodesText.text([201, 200]) == "200, 201")
        #expect(SuccessCodesText.codes("200-202, 204") == [200, 201, 202, 204])
        #expect(SuccessCodesText.codes("202-200") == nil && SuccessCodesText.codes("ok") == nil && SuccessCodesText.codes("1-5000") == nil)
        #expect(SuccessCodesText.codes(SuccessCodesText.text(Array(200...299))) == Array(200...299))
    }
}
