import HooklineCore
import Testing

/// A team on call opens the webhooks list and sees first what needs them: a receiver that said
/// it is gone, one that keeps failing with its streak, queue, last error and next attempt, then
/// the healthy ones, then those a person paused. The API answers the same, and says what a bad
/// order is.
@Suite struct WebhookTroubleTests {
    @Test func theListSortsByTroubleAndShowsEachOnesStreakQueueAndLastError() async throws {
        try await Receiver.run { receiver in
            try await Hookline.run { hookline in
                let (key, browser) = try await WizardTests.signedIn(hookline)
                let patient: JSONValue = ["schedule": [0, 0.2, 600], "max_age": 3600]
                let fine = try await hookline.webhook(key: key, url: receiver.url("/ok"), triggers: [.callBegin], extra: ["name": "Fine CRM"])
                let down = try await hookline.webhook(
                    key: key, url: receiver.url("/fail"), triggers: [.callBegin], retry: patient, extra: ["name": "Down CRM", "max_in_flight": 1])
                let gone = try await hookline.webhook(key: key, url: receiver.url("/gone"), triggers: [.callBegin], extra: ["name": "Gone CRM"])
                _ = try await hookline.webhook(key: key, url: receiver.url("/ok"), triggers: [.callBegin], extra: ["name": "Paused CRM", "enabled": false])
                for index in 0..<4 {
                    try await hookline.call(.post, "/v1/calls", key: key, json: ["callid": .string("c\(index)")])
                }
                try await eventually(timeout: .seconds(120), "the failing and the gone receivers to be known") {
                    let down = try await hookline.call(.get, "/v1/webhooks/\(down)", key: key)
                    let gone = try await hookline.call(.get, "/v1/webhooks/\(gone)", key: key)
                    let fine = try await hookline.call(.get, "/v1/webhooks/\(fine)", key: key)
                    return down["health"]?["state"] == "failing" && gone["trouble"] == "disabled_by_hookline" && fine["queue"]?["waiting"] == 0
                        && fine["queue"]?["in_flight"] == 0
                }

                let listed = try await hookline.call(.get, "/v1/webhooks?sort=trouble", key: key)
                let rows = try #require(listed["data"]?.arrayValue)
                #expect(rows.compactMap { $0["name"]?.stringValue } == ["Gone CRM", "Down CRM", "Fine CRM", "Paused CRM"])
                #expect(rows.compactMap { $0["trouble"]?.stringValue } == ["disabled_by_hookline", "failing", "healthy", "disabled"])
                let failing = rows[1]
                #expect((failing["health"]?["consecutive_failures"]?.integerValue ?? 0) >= EndpointHealth.failureThreshold)
                #expect(failing["health"]?["last_error"]?.stringValue?.contains("500") == true, "\(failing)")
                let queue = try #require(failing["queue"])
                #expect((queue["waiting"]?.integerValue ?? 0) + (queue["in_flight"]?.integerValue ?? 0) == 4, "every call's delivery still pending: \(queue)")
                #expect(queue["held"] == 0)
                #expect(queue["next_attempt_at"]?.stringValue != nil || queue["in_flight"] == 1, "a waiting delivery has its due time: \(queue)")
                let created = try await hookline.call(.get, "/v1/webhooks", key: key)["data"]?.arrayValue?.compactMap { $0["name"]?.stringValue }
                #expect(created == ["Fine CRM", "Down CRM", "Gone CRM", "Paused CRM"], "without ?sort, as created")
                let wrong = try await hookline.call(.get, "/v1/webhooks?sort=worst", key: key)
                #expect(wrong.status == .badRequest && wrong.errorField == "sort", "\(wrong.text)")

                // The account's rule for webhooks that stay down.
                let account = try await hookline.call(.get, "/v1/account", key: key)
                #expect(account["auto_disable_days"] == 5 && account["name"] == "Acme")
                for (body, field) in [
                    (["auto_disable_days": -1] as JSONValue, "auto_disable_days"), (["auto_disable_days": 366], "auto_disable_days"),
                    (["auto_disable_days": "5"], "auto_disable_days"), (["auto_disable_days": 1.5], "auto_disable_days"), (["name": "Other"], "name"), ([:], "auto_disable_days"),
                ] {
                    let answer = try await hookline.call(.patch, "/v1/account", key: key, json: body)
                    #expect(answer.status == .badRequest && answer.errorField == field, "\(body): \(answer.text)")
                }
                #expect(try await hookline.call(.patch, "/v1/account", key: key, json: ["auto_disable_days": 0])["auto_disable_days"] == 0)
                #expect(try await hookline.call(.get, "/v1/account", key: key)["auto_disable_days"] == 0)
                let other = try await hookline.account("Other")
                #expect(try await hookline.call(.get, "/v1/account", key: other)["auto_disable_days"] == 5, "one account's rule is its own")

                let page = try await browser.request(.get, "/webhooks")
                let positions = ["Gone CRM", "Down CRM", "Fine CRM", "Paused CRM"].compactMap { page.text.range(of: $0)?.lowerBound }
                #expect(positions.count == 4 && positions == positions.sorted(), "the page lists by trouble")
                #expect(page.text.contains("disabled by Hookline") && page.text.contains("failed in a row") && page.text.contains("HTTP 500"), "\(page.text)")
                let downPage = try await browser.request(.get, "/webhooks/\(down)")
                #expect(downPage.text.contains("<dt>Waiting</dt>") && downPage.text.contains("<dt>Next attempt</dt>"))
            }
        }
    }

    /// The form under the list sets the account's auto-disable days, with the API's checks.
    @Test func theListsFormSetsTheAccountsAutoDisableDays() async throws {
        try await Hookline.run(runsWorkers: false) { hookline in
            let (key, browser) = try await WizardTests.signedIn(hookline)
            let page = try await browser.request(.get, "/webhooks")
            #expect(page.text.contains("id=\"auto_disable_days\" name=\"auto_disable_days\" type=\"number\" min=\"0\" max=\"365\" value=\"5\""))
            for entered in ["soon", "400", "-1", "2.5"] {
                let refused = try await browser.submit(page.text, to: "/webhooks/auto-disable", [("auto_disable_days", entered)])
                #expect(refused.status == .unprocessableContent && refused.text.contains("id=\"auto_disable_days-error\""), "\(entered)")
                #expect(refused.text.contains("from 0 (never) to 365") && refused.text.contains("value=\"\(entered)\""))
            }
            #expect(try await hookline.call(.get, "/v1/account", key: key)["auto_disable_days"] == 5, "nothing saved from a mistake")
            #expect(try await browser.submit(page.text, to: "/webhooks/auto-disable", [("auto_disable_days", "0")]).status == .seeOther)
            #expect(try await hookline.call(.get, "/v1/account", key: key)["auto_disable_days"] == 0)
            #expect(try await browser.request(.get, "/webhooks").text.contains("value=\"0\""))
        }
    }
}
