import HooklineCore
import Testing

/// A team adds where it talks (a signed JSON receiver, Slack, a Telegram bot) and hears of a
/// receiver's outage once, its recovery once, and what died in a digest with a link to the log;
/// a test from the channel's page arrives marked as one; every mistake names its field.
@Suite struct NotificationChannelsTests {
    static func channel(_ hookline: Hookline, key: String, _ body: JSONValue) async throws -> JSONValue {
        let answer = try await hookline.call(.post, "/v1/notification-channels", key: key, json: body)
        #expect(answer.status == .created, "\(answer.text)")
        return answer.json
    }

    @Test func anOutageReachesEveryChannelOnceThenItsRecoveryAndItsDeadDeliveries() async throws {
        try await Receiver.run { receiver in
            try await Hookline.run { hookline in
                let key = try await hookline.account()
                let json = try await Self.channel(hookline, key: key, ["kind": "json", "name": "Ops", "url": .string(receiver.url("/ok/ops"))])
                let secret = try #require(json["secret"]?.stringValue)
                _ = try await Self.channel(hookline, key: key, ["kind": "slack", "name": "#alerts", "url": .string(receiver.url("/ok/slack"))])
                let telegram = try await Self.channel(
                    hookline, key: key,
                    ["kind": "telegram", "name": "On call", "bot_token": "123:abc", "chat_id": "-100", "api_url": .string(receiver.url("/ok/tg")),
                     "events": ["webhook.failing", "webhook.recovered"]])
                #expect(telegram["bot_token"] == nil && telegram["chat_id"] == "-100" && telegram["url"] == nil, "the token is never shown: \(telegram)")
                #expect(try await hookline.call(.patch, "/v1/account", key: key, json: ["alerts": ["failures": 3]])["alerts"]?["failures"] == 3)

                await receiver.recorder.setDown(true)
                let crm = try await hookline.webhook(
                    key: key, url: receiver.url("/switch/crm"), triggers: [.callBegin], retry: ["schedule": [0, 0.2, 0.2, 0.2, 0.2, 0.2], "max_age": 3600],
                    extra: ["name": "CRM", "probe_interval": 1])
                for call in 0..<4 { try await hookline.call(.post, "/v1/calls", key: key, json: ["callid": .string("c\(call)")]) }
                try await eventually(timeout: .seconds(120), "webhook.failing at every channel") {
                    let (ops, slack, bot) = (await receiver.recorder.requests(to: "/ok/ops"), await receiver.recorder.requests(to: "/ok/slack"), await receiver.recorder.requests(to: "/ok/tg"))
                    return !ops.isEmpty && !slack.isEmpty && !bot.isEmpty
                }
                let told = try #require(await receiver.recorder.requests(to: "/ok/ops").first)
                let body = try JSONParser.parse(told.body)
                #expect(body["type"] == "webhook.failing" && body["data"]?["webhook_id"] == .string(crm) && body["data"]?["webhook_name"] == "CRM")
                #expect((body["data"]?["failure_count"]?.integerValue ?? 0) >= 3)
                #expect(body["data"]?["url"] == .string("http://127.0.0.1:8080/webhooks/\(crm)"))
                let signed = StandardWebhooks.verify(
                    id: told.header("webhook-id") ?? "", timestamp: Int64(told.header("webhook-timestamp") ?? "") ?? 0, body: Array(told.body.utf8),
                    header: told.header("webhook-signature") ?? "", secret: secret)
                #expect(signed, "signed with the channel's own secret")
                let slack = try JSONParser.parse(try #require(await receiver.recorder.requests(to: "/ok/slack").first).body)
                #expect(slack["text"]?.stringValue?.hasPrefix("Webhook \"CRM\" is failing:") == true, "\(slack)")
                let bot = try #require(await receiver.recorder.requests(to: "/ok/tg").first)
                #expect(bot.path == "/ok/tg/bot123:abc/sendMessage")
                #expect(try JSONParser.parse(bot.body)["chat_id"] == "-100")
                let sentToBot = try #require(try await hookline.deliveries(key: key, query: "?webhook_id=\(telegram["id"]?.stringValue ?? "")").first?["id"]?.stringValue)
                let recorded = try await hookline.delivery(key: key, sentToBot)["attempts"]?.arrayValue?.first?["request"]?["url"]?.stringValue
                #expect(recorded == receiver.url("/ok/tg/bot[redacted]/sendMessage"), "the bot's token stays out of the log: \(recorded ?? "")")

                await receiver.recorder.setDown(false)
                try await eventually(timeout: .seconds(120), "webhook.recovered at the JSON channel") {
                    await receiver.recorder.requests(to: "/ok/ops").contains { $0.body.contains("webhook.recovered") }
                }
                try await eventually(timeout: .seconds(60), "webhook.recovered at the bot") {
                    await receiver.recorder.requests(to: "/ok/tg").contains { $0.body.contains("recovered") }
                }
                let kinds = await receiver.recorder.requests(to: "/ok/ops").compactMap { try? JSONParser.parse($0.body)["type"]?.stringValue }
                #expect(kinds == ["webhook.failing", "webhook.recovered"], "each once: \(kinds)")

                // Deliveries that die are summed up once, with a link to the log filtered to them.
                let doomed = try await hookline.webhook(key: key, url: receiver.url("/fail/doomed"), triggers: [.callBegin], retry: ["schedule": [0], "max_age": 1])
                for call in 4..<6 { try await hookline.call(.post, "/v1/calls", key: key, json: ["callid": .string("c\(call)")]) }
                try await eventually(timeout: .seconds(120), "the dead digest") {
                    await receiver.recorder.requests(to: "/ok/ops").contains { $0.body.contains("delivery.dead") }
                }
                let digest = try JSONParser.parse(try #require(await receiver.recorder.requests(to: "/ok/ops").first { $0.body.contains("delivery.dead") }).body)
                // The first death is told at once; the next within the hour waits for the next digest.
                #expect(digest["data"]?["webhook_id"] == .string(doomed) && (digest["data"]?["dead_count"]?.integerValue ?? 0) >= 1, "\(digest)")
                #expect(digest["data"]?["url"] == .string("http://127.0.0.1:8080/deliveries?webhook_id=\(doomed)&status=dead"))
                #expect(await !receiver.recorder.requests(to: "/ok/tg").contains { $0.body.contains("died") }, "the bot does not take delivery.dead")
                #expect(await receiver.recorder.requests(to: "/ok/ops").filter { $0.body.contains("delivery.dead") }.count == 1, "one digest an hour")

                // The alerts are deliveries like any other, in the log; channels never in the webhooks list.
                let channelLog = "?webhook_id=\(json["id"]?.stringValue ?? "")"
                try await eventually(timeout: .seconds(60), "every alert to the JSON channel delivered, as its log says") {
                    let alerts = try await hookline.deliveries(key: key, query: channelLog)
                    return alerts.count >= 3 && alerts.allSatisfy { $0["status"] == "delivered" && $0["event_kind"]?.stringValue?.contains(".") == true }
                }
                let listed = try await hookline.call(.get, "/v1/webhooks", key: key)["data"]?.arrayValue?.compactMap { $0["name"]?.stringValue }
                #expect(listed == ["CRM", "test"])
                #expect(try await hookline.call(.get, "/v1/notification-channels", key: key)["data"]?.arrayValue?.count == 3)
            }
        }
    }

    @Test func sendTestAndEveryMistakeNamesItsField() async throws {
        try await Receiver.run { receiver in
            try await Hookline.run(runsWorkers: false) { hookline in
                let key = try await hookline.account()
                let slack = try await Self.channel(hookline, key: key, ["kind": "slack", "name": "#alerts", "url": .string(receiver.url("/ok/slack"))])
                let id = try #require(slack["id"]?.stringValue)
                let tested = try await hookline.call(.post, "/v1/notification-channels/\(id)/test", key: key, json: ["kind": "webhook.disabled"])
                #expect(tested["delivered"] == true && tested["kind"] == "webhook.disabled", "\(tested.text)")
                let sent = try JSONParser.parse(try #require(await receiver.recorder.requests(to: "/ok/slack").first).body)
                #expect(sent["text"]?.stringValue?.hasPrefix("Test from Hookline: this channel receives webhook.disabled alerts.") == true)

                for (body, field, status) in [
                    (["kind": "email", "name": "x", "url": "https://a.example"] as JSONValue, "kind", 400),
                    (["kind": "json", "name": "x"], "url", 400),
                    (["kind": "json", "name": "x", "url": "https://a.example", "bot_token": "1:a"], "bot_token", 422),
                    (["kind": "telegram", "name": "x", "url": "https://a.example", "bot_token": "1:a", "chat_id": "1"], "url", 422),
                    (["kind": "telegram", "name": "x", "bot_token": "1:a", "chat_id": "chat"], "chat_id", 400),
                    (["kind": "telegram", "name": "x", "bot_token": "1:a", "chat_id": 5], "chat_id", 400),
                    (["kind": "telegram", "name": "x", "bot_token": "no spaces", "chat_id": "1"], "bot_token", 400),
                    (["kind": "slack", "name": "x", "url": "https://a.example", "events": ["call.begin"]], "events[0]", 400),
                    (["kind": "slack", "name": " ", "url": "https://a.example"], "name", 400),
                    (["kind": "slack", "name": "x", "url": "https://a.example", "colour": "red"], "colour", 400),
                ] {
                    let answer = try await hookline.call(.post, "/v1/notification-channels", key: key, json: body)
                    #expect(answer.status.code == status && answer.errorField == field, "\(body): \(answer.text)")
                }
                let kindChange = try await hookline.call(.patch, "/v1/notification-channels/\(id)", key: key, json: ["kind": "json"])
                #expect(kindChange.status == .unprocessableContent && kindChange.errorField == "kind")
                let renamed = try await hookline.call(.patch, "/v1/notification-channels/\(id)", key: key, json: ["name": "#ops", "events": ["delivery.dead"]])
                #expect(renamed["name"] == "#ops" && renamed["events"] == ["delivery.dead"] && renamed["url"] == .string(receiver.url("/ok/slack")))

                let campaign = try #require(try await hookline.call(.post, "/v1/campaigns", key: key, json: ["name": "TV", "kind": "dni"])["id"]?.stringValue)
                let placed = try await hookline.call(.post, "/v1/campaigns/\(campaign)/webhooks", key: key, json: ["webhook_id": .string(id), "moment": "end"])
                #expect(placed.status == .unprocessableContent && placed.errorField == "webhook_id", "a channel is never placed: \(placed.text)")
                #expect(try await hookline.call(.get, "/v1/notification-channels/\(id)", key: key)["events"] == ["delivery.dead"])
                // Another account's channel, and a channel through the webhooks routes, are not found.
                let other = try await hookline.account("Other")
                #expect(try await hookline.call(.get, "/v1/notification-channels/\(id)", key: other).status == .notFound)
                #expect(try await hookline.call(.delete, "/v1/notification-channels/\(id)", key: other).status == .notFound)
                #expect(try await hookline.call(.get, "/v1/webhooks/\(id)", key: key).status == .notFound)
                #expect(try await hookline.call(.patch, "/v1/webhooks/\(id)", key: key, json: ["name": "x"]).status == .notFound)

                for (alerts, field) in [
                    (["failures": 0] as JSONValue, "alerts.failures"), (["digest_minutes": 20_000], "alerts.digest_minutes"),
                    (["reminder_days": [0]], "alerts.reminder_days[0]"), (["reminder_days": [3, 3]], "alerts.reminder_days[1]"), (["often": 1], "alerts.often"),
                ] {
                    let answer = try await hookline.call(.patch, "/v1/account", key: key, json: ["alerts": alerts])
                    #expect(answer.status == .badRequest && answer.errorField == field, "\(alerts): \(answer.text)")
                }
                let set = try await hookline.call(.patch, "/v1/account", key: key, json: ["alerts": ["reminder_days": [14, 2]]])
                #expect(set["alerts"] == ["failures": 5, "digest_minutes": 60, "reminder_days": [2, 14], "failure_rate": nil], "sorted, the rest kept: \(set.text)")
                let rated = try await hookline.call(.patch, "/v1/account", key: key, json: ["alerts": ["failure_rate": ["percent": 30]]])
                #expect(rated["alerts"]?["failure_rate"] == ["percent": 30, "minutes": 15, "min_attempts": 10], "\(rated.text)")
                for (rate, field) in [
                    (["minutes": 5] as JSONValue, "alerts.failure_rate.percent"), (["percent": 101], "alerts.failure_rate.percent"),
                    (["percent": 30, "minutes": 0], "alerts.failure_rate.minutes"), (["percent": 30, "window": 5], "alerts.failure_rate.window"),
                ] {
                    let answer = try await hookline.call(.patch, "/v1/account", key: key, json: ["alerts": ["failure_rate": rate]])
                    #expect(answer.status == .badRequest && answer.errorField == field, "\(rate): \(answer.text)")
                }
                #expect(try await hookline.call(.patch, "/v1/account", key: key, json: ["alerts": ["failure_rate": nil]])["alerts"]?["failure_rate"] == .null)
                #expect(try await hookline.call(.delete, "/v1/notification-channels/\(id)", key: key).status == .noContent)
                #expect(try await hookline.call(.get, "/v1/notification-channels", key: key)["data"] == [])
            }
        }
    }

    /// The Notifications page: add a channel (mistakes beside their fields), send it a test and see
    /// the receiver's answer, set the alert rules, remove the channel.
    @Test func thePageAddsTestsAndRemovesAChannelAndSetsTheRules() async throws {
        try await Receiver.run { receiver in
            try await Hookline.run(runsWorkers: false) { hookline in
                let (key, browser) = try await WizardTests.signedIn(hookline)
                let empty = try await browser.request(.get, "/notifications")
                #expect(empty.status == .ok && empty.text.contains("No channel yet") && empty.text.contains("aria-current=\"page\">Notifications</a>"))
                let refused = try await browser.submit(empty.text, to: "/notifications", [("kind", "slack"), ("name", "#alerts"), ("url", "ftp://x"), ("events", "webhook.failing")])
                #expect(refused.status == .unprocessableContent && refused.text.contains("id=\"url-error\"") && refused.text.contains("must use http or https"))
                #expect(refused.text.contains("value=\"#alerts\""), "what was typed stays")
                let noEvents = try await browser.submit(empty.text, to: "/notifications", [("kind", "slack"), ("name", "#alerts"), ("url", receiver.url("/ok/page"))])
                #expect(noEvents.status == .unprocessableContent && noEvents.text.contains("id=\"events-error\""))
                let added = try await browser.submit(
                    empty.text, to: "/notifications",
                    [("kind", "slack"), ("name", "#alerts"), ("url", receiver.url("/ok/page")), ("events", "webhook.failing"), ("events", "webhook.recovered")])
                #expect(added.status == .seeOther)
                let listed = try await browser.request(.get, "/notifications")
                #expect(listed.text.contains("#alerts") && listed.text.contains("webhook.failing, webhook.recovered"))
                let id = try #require(try await hookline.call(.get, "/v1/notification-channels", key: key)["data"]?.arrayValue?.first?["id"]?.stringValue)
                let tested = try await browser.submit(listed.text, to: "/notifications/\(id)/test", [])
                #expect(tested.text.contains("Test sent to #alerts: the receiver answered HTTP 200."), "\(tested.text)")
                #expect(await receiver.recorder.requests(to: "/ok/page").count == 1)

                for (field, entered) in [("failures", "0"), ("digest_minutes", "often"), ("reminder_days", "3, 3")] {
                    var fields = [("failures", "5"), ("digest_minutes", "60"), ("reminder_days", "1, 7")]
                    fields.removeAll { $0.0 == field }
                    let answer = try await browser.submit(listed.text, to: "/notifications/rules", fields + [(field, entered)])
                    #expect(answer.status == .unprocessableContent && answer.text.contains("id=\"\(field)-error\""), "\(field)")
                }
                let saved = try await browser.submit(listed.text, to: "/notifications/rules", [("failures", "2"), ("digest_minutes", "15"), ("reminder_days", "7 1")])
                #expect(saved.status == .seeOther)
                #expect(try await hookline.call(.get, "/v1/account", key: key)["alerts"] == ["failures": 2, "digest_minutes": 15, "reminder_days": [1, 7], "failure_rate": nil])
                #expect(try await browser.request(.get, "/webhooks").text.contains("#alerts") == false, "a channel is not a webhook of the list")
                let removed = try await browser.submit(listed.text, to: "/notifications/\(id)/delete", [])
                #expect(removed.status == .seeOther)
                #expect(try await browser.request(.get, "/notifications").text.contains("No channel yet"))
            }
        }
    }
}
