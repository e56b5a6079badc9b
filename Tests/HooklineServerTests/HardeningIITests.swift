import AsyncHTTPClient
import Foundation
import HooklineCore
import Hummingbird
import HooklineStore
import HummingbirdTesting
import Testing

/// What a hostile user with an account, a user's password or a source's address tried, and what
/// holds now (issue 22).
@Suite struct HardeningIITests {
    /// `next` values a browser would follow to another site, or that are no path of this one.
    static let awayNexts = [
        "/\t/evil.example", "/\t\\evil.example", "/\n/evil.example", "/\r\n/evil.example", "/\\evil.example", "\\\\evil.example", "//evil.example",
        "///evil.example", "/ /evil.example", " /evil.example", "https://evil.example/", "http://user@evil.example/", "javascript:alert(1)",
        "JaVaScRiPt:alert(1)", "evil.example", "/\u{0}/evil.example", "/\u{7F}/x", "/é/\u{301}",
    ]

    @Test func afterSignInTheBrowserStaysOnThisSite() async throws {
        try await Hookline.run(runsWorkers: false) { hookline in
            let key = try await hookline.account()
            try await hookline.call(.post, "/v1/users", key: key, json: ["email": "ann@example.com", "password": "correct horse"])
            let origin = try #require(URL(string: "http://hookline.test/"))
            for next in Self.awayNexts + ["/deliveries?status=dead", "/%2F%2Fevil.example", "/webhooks/@evil.example"] {
                let browser = Browser(hookline)
                let form = try await browser.request(.get, "/sign-in")
                let answer = try await browser.request(
                    .post, "/sign-in",
                    form: [("sign_in_token", try Browser.hidden("sign_in_token", in: form.text)), ("email", "ann@example.com"), ("password", "correct horse"), ("next", next)])
                let location = try #require(answer.headers[.location], "\(next.debugDescription)")
                #expect(answer.status == .seeOther)
                // Read as a browser reads it (WHATWG drops tabs and newlines, `\` is `/`).
                let read = location.filter { $0 != "\t" && $0 != "\n" && $0 != "\r" }.replacingOccurrences(of: "\\", with: "/")
                #expect(URL(string: read, relativeTo: origin)?.absoluteURL.host == "hookline.test", "\(next.debugDescription) → \(location.debugDescription)")
                if Self.awayNexts.contains(next) { #expect(location == "/webhooks", "\(next.debugDescription) → \(location.debugDescription)") }
            }
        }
    }

    /// Text that puts a combining mark after each character HTML gives meaning to.
    static let hostile = "x&\u{301}<\u{301}>\u{301}\"\u{301}'\u{301} autofocus onfocus=alert(1) y=\""
    static let rawMarks = ["&\u{301}", "<\u{301}", ">\u{301}", "\"\u{301}", "'\u{301}"].map { Array($0.utf8) }

    static func containsRaw(_ page: String) -> Bool {
        let bytes = Array(page.utf8)
        return rawMarks.contains { mark in bytes.indices.contains { bytes[$0...].starts(with: mark) } }
    }

    @Test func everyPageEscapesACombiningMarkAfterEachSpecialCharacter() async throws {
        try await Hookline.run(runsWorkers: false) { hookline in
            let (key, browser) = try await WizardTests.signedIn(hookline)
            let webhook = try await hookline.call(
                .post, "/v1/webhooks", key: key,
                json: [
                    "name": .string(Self.hostile), "url": "http://127.0.0.1:9/crm?x=%22", "triggers": ["call.begin"],
                    "template": ["format": "json", "body": #"{"id": "%callid%"}"#], "headers": ["X-Note": .string(Self.hostile)],
                ])
            let webhookID = try #require(webhook["id"]?.stringValue, "\(webhook.text)")
            let location = try #require(try await hookline.call(.post, "/v1/locations", key: key, json: ["location_name": .string(Self.hostile)])["id"]?.stringValue)
            let campaign = try #require(
                try await hookline.call(.post, "/v1/campaigns", key: key, json: ["name": .string(Self.hostile), "kind": "offline", "tracking_numbers": ["7774839229"]])[
                    "id"]?.stringValue)
            _ = try await SourcesTests.source(hookline, key: key, kind: "roistat.call")
            #expect(try await hookline.call(.post, "/v1/calls", key: key, json: ["callid": "c1", "ani": .string(Self.hostile)]).status == .created)
            let deliveryID = try #require(try await hookline.deliveries(key: key).first?["id"]?.stringValue)
            let pages = [
                "/webhooks", "/webhooks/\(webhookID)", "/webhooks/\(webhookID)/edit", "/webhooks/new", "/campaigns", "/campaigns/\(campaign)", "/locations",
                "/locations/\(location)", "/sources", "/deliveries", "/deliveries/\(deliveryID)", "/calls/c1", "/tokens", "/treatments",
            ]
            for path in pages {
                let page = try await browser.request(.get, path)
                #expect(page.status == .ok, "\(path)")
                #expect(!Self.containsRaw(page.text), "\(path) has a special character followed by a combining mark unescaped")
            }
            #expect(try await browser.request(.get, "/webhooks").text.contains("x&amp;\u{301}&lt;\u{301}&gt;\u{301}&quot;\u{301}&#39;\u{301}"))
            // Signed out too: the sign-in page shows `next` back.
            let signIn = try await Browser(hookline).request(.get, "/sign-in?next=/%22%CC%81%20autofocus%20x=%22")
            #expect(!Self.containsRaw(signIn.text) && !signIn.text.contains("\" autofocus"), "\(signIn.text)")
        }
    }

    @Test func passwordsBcryptWouldCutShortNeverSignIn() async throws {
        try await Hookline.run(runsWorkers: false) { hookline in
            let key = try await hookline.account()
            let nul = try await hookline.call(.post, "/v1/users", key: key, json: ["email": "nul@example.com", "password": "\u{0}correct horse"])
            #expect(nul.status == .badRequest || nul.status == .unprocessableContent, "\(nul.text)")
            #expect(nul.errorField == "password" && nul.errorMessage?.contains("control characters") == true, "\(nul.text)")
            let tab = try await hookline.call(.post, "/v1/users", key: key, json: ["email": "tab@example.com", "password": "correct\thorse"])
            #expect(tab.errorField == "password")
            let seventyTwo = String(repeating: "p", count: 72)
            #expect(try await hookline.call(.post, "/v1/users", key: key, json: ["email": "long@example.com", "password": .string(seventyTwo)]).status == .created)
            #expect(try await Browser(hookline).signIn("long@example.com", seventyTwo).status == .seeOther)
            // bcrypt reads 72 bytes and stops at a NUL: both would match the stored hash.
            #expect(try await Browser(hookline).signIn("long@example.com", seventyTwo + "anything").status == .unauthorized)
            #expect(try await Browser(hookline).signIn("long@example.com", seventyTwo + "\u{0}x").status == .unauthorized)
            let longer = try await hookline.call(.post, "/v1/users", key: key, json: ["email": "longer@example.com", "password": .string(seventyTwo + "q")])
            #expect(longer.errorField == "password")
        }
    }

    @Test func behindTLSTheSessionCookieTakesTheHostPrefix() async throws {
        try await Hookline.run(runsWorkers: false) { hookline in
            let key = try await hookline.account()
            try await hookline.call(.post, "/v1/users", key: key, json: ["email": "ann@example.com", "password": "correct horse"])
            let secure: HTTPFields = [HTTPFields.Element.Name("X-Forwarded-Proto")!: "https"]
            let form = try await hookline.client.execute(uri: "/sign-in", method: .get, headers: secure)
            let token = try Browser.hidden("sign_in_token", in: String(buffer: form.body))
            var headers = secure
            headers[.cookie] = "hookline_sign_in=\(token)"
            headers[.contentType] = "application/x-www-form-urlencoded"
            let body = "sign_in_token=\(token)&email=ann%40example.com&password=correct+horse&next=%2Fwebhooks"
            let signedIn = try await hookline.client.execute(uri: "/sign-in", method: .post, headers: headers, body: ByteBuffer(string: body))
            #expect(signedIn.status == .seeOther)
            let cookie = try #require(signedIn.headers[values: .setCookie].first { $0.hasPrefix("__Host-hookline_session=") })
            #expect(cookie.contains("Secure") && cookie.contains("Path=/") && !cookie.lowercased().contains("domain="))
            let session = String(cookie.dropFirst("__Host-hookline_session=".count).prefix { $0 != ";" })
            var page = secure
            page[.cookie] = "__Host-hookline_session=\(session)"
            #expect(try await hookline.client.execute(uri: "/webhooks", method: .get, headers: page).status == .ok)
            // Over TLS, a cookie without the prefix (one a sibling subdomain could plant) opens nothing.
            page[.cookie] = "hookline_session=\(session)"
            #expect(try await hookline.client.execute(uri: "/webhooks", method: .get, headers: page).status == .seeOther)
        }
    }

    @Test func anotherAccountsUsersAreNotRevealed() async throws {
        try await Hookline.run(runsWorkers: false) { hookline in
            let a = try await hookline.account("A")
            let b = try await hookline.account("B")
            #expect(try await hookline.call(.post, "/v1/users", key: a, json: ["email": "ann@example.com", "password": "correct horse"]).status == .created)
            let own = try await hookline.call(.post, "/v1/users", key: a, json: ["email": "ann@example.com", "password": "correct horse"])
            let other = try await hookline.call(.post, "/v1/users", key: b, json: ["email": "ann@example.com", "password": "correct horse"])
            #expect(own.status == .conflict && other.status == .conflict)
            #expect(own.text == other.text, "the answer is the same whichever account holds the email")
            #expect(!other.text.contains("already exists"))
        }
    }

    @Test func concurrentWrongPasswordsWaitInTurnNotSideBySide() async throws {
        try await Hookline.run(runsWorkers: false) { hookline in
            let key = try await hookline.account()
            try await hookline.call(.post, "/v1/users", key: key, json: ["email": "ann@example.com", "password": "correct horse"])
            for _ in 0..<3 { #expect(try await Browser(hookline).signIn("ann@example.com", "wrong horse!").status == .unauthorized) }
            // Three at once wait 1, 2 and 4 s in turn: the last is answered 7 s after they were sent
            // (side by side, all three would have been answered after 1 s).
            // Each on a connection of its own (the test client's one connection would queue them).
            let port = try #require(hookline.client.port)
            var tokens: [String] = []
            for _ in 0..<3 { tokens.append(try Browser.hidden("sign_in_token", in: try await Browser(hookline).request(.get, "/sign-in").text)) }
            let started = ContinuousClock.now
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for token in tokens {
                    group.addTask {
                        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/sign-in")
                        request.method = .POST
                        request.headers.add(name: "Cookie", value: "hookline_sign_in=\(token)")
                        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
                        request.body = .bytes(ByteBuffer(string: "sign_in_token=\(token)&email=ann%40example.com&password=wrong+horse%21&next=%2F"))
                        return Int(try await HTTPClient.shared.execute(request, timeout: .seconds(120)).status.code)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let elapsed = ContinuousClock.now - started
            #expect(statuses == [401, 401, 401], "\(statuses)")
            #expect(elapsed >= .seconds(7), "the attempts waited in turn, the sum of their delays: \(elapsed)")
            // A huge email costs one fixed-size row, and is refused like any other.
            let huge = String(repeating: "a", count: 500_000) + "@example.com"
            #expect(try await Browser(hookline).signIn(huge, "wrong horse!").status == .unauthorized)
        }
    }

    @Test func anAttemptThatWouldWaitPastTheLimitIsRefusedUnchecked() async throws {
        let database = try Hookline.temporaryDatabase()
        let store = try SQLiteStore(path: database)
        try await Hookline.run(database: database, runsWorkers: false, store: store) { hookline in
            let key = try await hookline.account()
            try await hookline.call(.post, "/v1/users", key: key, json: ["email": "ann@example.com", "password": "correct horse"])
            // Another process's attempts for this email already wait in the store, ten minutes out
            // (reserved as of then: however slow this machine, the next one would wait past 30 s).
            let later = Timestamp.now.adding(seconds: 600)
            while case .checkAt = try await store.reserveSignIn(key: SignInThrottle.key(email: "ann@example.com"), now: later) {}
            let refused = try await Browser(hookline).signIn("ann@example.com", "correct horse")
            #expect(refused.status == .tooManyRequests && refused.text.contains("Too many sign-in attempts"), "\(refused.text)")
            #expect(refused.headers[.retryAfter].flatMap(Int.init).map { (600...700).contains($0) } == true, "\(refused.headers)")
            #expect(!refused.headers[values: .setCookie].contains { $0.hasPrefix("hookline_session=") }, "even the right password is not checked")
        }
    }
}
