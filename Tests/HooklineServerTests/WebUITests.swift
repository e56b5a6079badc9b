import Foundation
import HooklineCore
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing

/// The web UI over HTTP: users made with the API, signing in, sessions, form tokens, and pages
/// that show what the API shows. The browser's view is tested by `Tests/ui` with Playwright.
@Suite struct WebUITests {
    @Test func usersAreCreatedWithTheAPIByTheSameRulesAndNeverShowTheirPassword() async throws {
        try await Hookline.run { hookline in
            let key = try await hookline.account()
            let created = try await hookline.call(.post, "/v1/users", key: key, json: ["email": "Ann@Example.com", "password": "correct horse", "role": "admin"])
            #expect(created.status == .created)
            #expect(created["email"] == "ann@example.com" && created["role"] == "admin")
            #expect(!created.text.contains("correct horse") && !created.text.contains("$2"))
            let short = try await hookline.call(.post, "/v1/users", key: key, json: ["email": "bob@example.com", "password": "short"])
            #expect(short.status == .badRequest && short.errorField == "password")
            let email = try await hookline.call(.post, "/v1/users", key: key, json: ["email": "bob", "password": "correct horse"])
            #expect(email.status == .badRequest && email.errorField == "email")
            let again = try await hookline.call(.post, "/v1/users", key: key, json: ["email": "ann@example.com", "password": "another horse"])
            #expect(again.status == .conflict)
            let listed = try await hookline.call(.get, "/v1/users", key: key)
            #expect(listed["data"]?.arrayValue?.count == 1)
            #expect(try await hookline.call(.post, "/v1/users", key: nil, json: ["email": "c@example.com", "password": "correct horse"]).status == .unauthorized)
        }
    }

    @Test func signingInSetsAStrictHttpOnlySessionAndAWrongPasswordSaysSo() async throws {
        try await Hookline.run { hookline in
            let key = try await hookline.account()
            try await hookline.call(.post, "/v1/users", key: key, json: ["email": "ann@example.com", "password": "correct horse", "role": "member"])
            let browser = Browser(hookline)
            let away = try await browser.request(.get, "/deliveries?status=dead")
            #expect(away.status == .seeOther && away.headers[.location]?.hasPrefix("/sign-in?next=") == true)
            let fresh = try await browser.request(.get, "/sign-in")
            #expect(!fresh.text.contains("password-error") && !fresh.text.contains("aria-invalid"), "no mistake shown before one is made")
            let wrong = try await browser.signIn("ann@example.com", "wrong horse!")
            #expect(wrong.status == .unauthorized && wrong.text.contains("Wrong email or password."))
            let unknown = try await browser.signIn("nobody@example.com", "wrong horse!")
            #expect(unknown.status == .unauthorized && unknown.text.contains("Wrong email or password."))
            let right = try await browser.signIn(" ANN@example.com", "correct horse")
            #expect(right.status == .seeOther && right.headers[.location] == "/webhooks")
            let cookie = try #require(right.headers[values: .setCookie].first { $0.hasPrefix("hookline_session=") })
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Path=/"))
            let page = try await browser.request(.get, "/webhooks")
            #expect(page.status == .ok && page.text.contains("ann@example.com"))
            #expect(page.headers[.contentSecurityPolicy]?.contains("frame-ancestors 'none'") == true)
            // Signed out, the same cookie opens nothing.
            let session = try #require(browser.jar.withLock { $0["hookline_session"] })
            #expect(try await browser.request(.post, "/sign-out", form: [("form_token", try Browser.hidden("form_token", in: page.text))]).status == .seeOther)
            browser.jar.withLock { $0["hookline_session"] = session }
            #expect(try await browser.request(.get, "/webhooks").status == .seeOther)
        }
    }

    @Test func aFormWithoutItsSessionsTokenChangesNothing() async throws {
        try await Hookline.run { hookline in
            let key = try await hookline.account()
            let webhook = try await hookline.webhook(key: key, url: "http://127.0.0.1:9/never")
            try await hookline.call(.post, "/v1/users", key: key, json: ["email": "ann@example.com", "password": "correct horse"])
            let browser = Browser(hookline)
            _ = try await browser.signIn("ann@example.com", "correct horse")
            let forged = try await browser.request(.post, "/webhooks/\(webhook)/enabled", form: [("enabled", "false")])
            #expect(forged.status == .forbidden && forged.text.contains("reload the page"))
            let wrongToken = try await browser.request(.post, "/webhooks/\(webhook)/enabled", form: [("enabled", "false"), ("form_token", "0123")])
            #expect(wrongToken.status == .forbidden)
            #expect(try await hookline.call(.get, "/v1/webhooks/\(webhook)", key: key)["enabled"] == true)
            let page = try await browser.request(.get, "/webhooks/\(webhook)")
            let token = try Browser.hidden("form_token", in: page.text)
            let disabled = try await browser.request(.post, "/webhooks/\(webhook)/enabled", form: [("enabled", "false"), ("form_token", token)])
            #expect(disabled.status == .seeOther)
            #expect(try await hookline.call(.get, "/v1/webhooks/\(webhook)", key: key)["enabled"] == false)
        }
    }

    @Test func onlyAnAdminManagesUsersAndAFieldErrorShowsBesideItsField() async throws {
        try await Hookline.run { hookline in
            let key = try await hookline.account()
            try await hookline.call(.post, "/v1/users", key: key, json: ["email": "admin@example.com", "password": "correct horse", "role": "admin"])
            try await hookline.call(.post, "/v1/users", key: key, json: ["email": "member@example.com", "password": "correct horse"])
            let member = Browser(hookline)
            _ = try await member.signIn("member@example.com", "correct horse")
            #expect(try await member.request(.get, "/users").status == .forbidden)
            let admin = Browser(hookline)
            _ = try await admin.signIn("admin@example.com", "correct horse")
            let page = try await admin.request(.get, "/users")
            #expect(page.status == .ok && page.text.contains("member@example.com"))
            let token = try Browser.hidden("form_token", in: page.text)
            let bad = try await admin.request(.post, "/users", form: [("form_token", token), ("email", "new@example.com"), ("password", "short"), ("role", "member")])
            #expect(bad.status == .unprocessableContent && bad.text.contains("id=\"password-error\"") && bad.text.contains("must be 10 to 72 characters long"))
            #expect(bad.text.contains("value=\"new@example.com\""), "what was typed stays")
            let good = try await admin.request(.post, "/users", form: [("form_token", token), ("email", "new@example.com"), ("password", "a long password"), ("role", "member")])
            #expect(good.status == .seeOther)
            #expect(try await hookline.call(.get, "/v1/users", key: key)["data"]?.arrayValue?.count == 3)
        }
    }

    @Test func theDeliveryLogShowsAttemptsAndReplaysADelivery() async throws {
        try await Receiver.run { receiver in
            try await Hookline.run { hookline in
                let key = try await hookline.account()
                _ = try await hookline.webhook(key: key, url: receiver.url("/crm"), triggers: [.callBegin])
                try await hookline.call(.post, "/v1/calls", key: key, json: ["callid": "call-1", "ani": "79990009911"])
                try await eventually(timeout: .seconds(60), "the delivery") { try await hookline.deliveries(key: key).first?["status"] == "delivered" }
                let id = try #require(try await hookline.deliveries(key: key).first?["id"]?.stringValue)
                try await hookline.call(.post, "/v1/users", key: key, json: ["email": "ann@example.com", "password": "correct horse"])
                let browser = Browser(hookline)
                _ = try await browser.signIn("ann@example.com", "correct horse")
                let log = try await browser.request(.get, "/deliveries?subject_id=call-1")
                #expect(log.status == .ok && log.text.contains("/deliveries/\(id)") && log.text.contains("delivered"))
                let none = try await browser.request(.get, "/deliveries?subject_id=other")
                #expect(!none.text.contains("/deliveries/\(id)"))
                let bad = try await browser.request(.get, "/deliveries?status=lost")
                #expect(bad.status == .badRequest && bad.text.contains("must be one of"))
                let page = try await browser.request(.get, "/deliveries/\(id)")
                #expect(page.text.contains("Attempt 1") && page.text.contains("POST ") && page.text.contains("&quot;id&quot;: &quot;call-1&quot;"))
                let replay = try await browser.request(.post, "/deliveries/\(id)/replay", form: [("form_token", try Browser.hidden("form_token", in: page.text))])
                #expect(replay.status == .seeOther)
                try await eventually(timeout: .seconds(60), "the replayed delivery sent again") {
                    try await hookline.delivery(key: key, id)["attempts"]?.arrayValue?.count == 2
                }
            }
        }
    }
}

@Suite struct WebhookPageTests {
    @Test func aWebhooksPageChartsItsDayPreviewsItsTemplateAndSendsATest() async throws {
        try await Receiver.run { receiver in
            try await Hookline.run { hookline in
                let (key, browser) = try await WizardTests.signedIn(hookline)
                let webhook = try await hookline.webhook(
                    key: key, url: receiver.url("/crm"), triggers: [.callBegin], body: #"{"id": "%callid%", "phone": "%ani%"}"#)
                for index in 0..<3 { try await hookline.call(.post, "/v1/calls", key: key, json: ["callid": .string("c\(index)"), "ani": "79990009911"]) }
                try await eventually(timeout: .seconds(60), "three deliveries") {
                    try await hookline.deliveries(key: key).filter { $0["status"] == "delivered" }.count == 3
                }
                var page = try await browser.request(.get, "/webhooks/\(webhook)")
                #expect(page.status == .ok && page.text.contains("<svg class=\"chart\"") && page.text.contains("3 attempts taken, 0 failed"))
                #expect(page.text.components(separatedBy: "<rect class=\"ok\"").count == 2, "one hour with attempts")
                // The preview renders the catalogue's examples, then a chosen call's values.
                #expect(page.text.contains("id=\"preview-body\"") && page.text.contains("the catalogue&#39;s examples"))
                page = try await browser.request(.get, "/webhooks/\(webhook)?kind=call.begin&subject=c1")
                #expect(page.text.contains("&quot;id&quot;: &quot;c1&quot;") && page.text.contains("&quot;phone&quot;: &quot;79990009911&quot;"))
                page = try await browser.request(.get, "/webhooks/\(webhook)?subject=nobody")
                #expect(page.text.contains("id=\"preview-error\"") && page.text.contains("no call or lead"))
                // Send test: the request goes now; the page shows it and the answer; no delivery is made.
                page = try await browser.request(.get, "/webhooks/\(webhook)?subject=c2")
                let before = await receiver.recorder.requests(to: "/crm").count
                let sent = try await browser.submit(page.text, to: "/webhooks/\(webhook)/test", [])
                #expect(sent.status == .ok && sent.text.contains("id=\"test-result\"") && sent.text.contains("Attempt 1"), "\(sent.status) \(sent.text.components(separatedBy: "<main>").last?.prefix(600) ?? "")")
                #expect(await receiver.recorder.requests(to: "/crm").count == before + 1)
                #expect(try await hookline.deliveries(key: key).count == 3)
            }
        }
    }
}
