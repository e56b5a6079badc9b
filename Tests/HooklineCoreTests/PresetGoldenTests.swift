import HooklineCore
import Testing

/// Each preset's output against the example payload of its seed document (`../shared/spec`):
/// field names, order, value types and nulls.
@Suite struct PresetGoldenTests {
    /// Seed 002's "webhook in the moment of call" (comments removed); seed 000's is the same
    /// without `metrika_client_id`.
    static let roistatBegin = """
        {"id": "313", "caller": "79990009911", "callee": "78005552233", "visit_id": "123456", "marker": "vk_new",
         "order_id": 123456789, "date": "2019-02-19 00:00:00", "google_client_id": "111111111.111111111", "custom_fields": [],
         "landing_page": "test.com/new", "domain": "test.com", "city": "", "country": "", "ip": "100.100.1.1", "first_visit": "1001",
         "referrer": "vk.com", "utm_source": null, "utm_medium": null, "utm_campaign": null, "utm_term": null, "utm_content": null,
         "roistat_param_1": null, "roistat_param_2": null, "roistat_param_3": null, "roistat_param_4": null, "roistat_param_5": null,
         "metrika_client_id": null, "source_level_1": "vk", "source_level_2": "new"}
        """
    /// Seed 000's "webhook after call" tail.
    static let roistatEndTail: JSONObject = ["status": "ANSWER", "file_id": nil, "duration": 20, "link": ""]

    /// The event as a call-tracking source reports it to Hookline, validated as ingest does.
    static func roistatCall(_ kind: EventKind) throws -> JSONObject {
        var body: JSONObject = [
            "callid": "313", "ani": "79990009911", "tracking": "78005552233", "visit_id": "123456", "marker": "vk_new", "order_id": 123456789,
            "call_start_time": "2019-02-19 00:00:00", "google_client_id": "111111111.111111111", "custom_fields": [],
            "landing_page": "test.com/new", "domain_name": "test.com", "visitor_city": "", "visitor_country": "", "visitor_ip_address": "100.100.1.1",
            "first_visit": "1001", "referral_domain": "vk.com", "source_level_1": "vk", "source_level_2": "new", "metrika_client_id": nil,
        ]
        if kind == .callEnd { body = body.merging(["dialstatus": "ANSWER", "answered_time": 20]) }
        return try TokenValidator().validate(.object(body), for: kind)
    }

    static func render(_ preset: String, _ kind: EventKind, _ values: JSONObject, options: JSONObject = [:]) throws -> RenderedPayload {
        let settings = WebhookSettings(
            name: preset, url: "http://crm.example/hook", method: try #require(Preset.named(preset)).method,
            template: .preset(PresetChoice(name: preset, options: options)), triggers: [kind])
        return try settings.compile(for: kind).render(values)
    }

    @Test func roistatCallAtBeginMatchesSeed002() throws {
        let payload = try Self.render("roistat.call", .callBegin, try Self.roistatCall(.callBegin))
        #expect(payload.contentType == "application/json")
        #expect(try JSONParser.parse(payload.body) == JSONParser.parse(Self.roistatBegin))
    }

    @Test func roistatCallAfterTheCallMatchesSeed002() throws {
        let payload = try Self.render("roistat.call", .callEnd, try Self.roistatCall(.callEnd))
        let expected = try #require(JSONParser.parse(Self.roistatBegin).objectValue).merging(Self.roistatEndTail)
        #expect(try JSONParser.parse(payload.body) == .object(expected))
    }

    @Test func roistatCallWithoutMetrikaMatchesSeed000() throws {
        var expected = try #require(JSONParser.parse(Self.roistatBegin).objectValue)
        expected["metrika_client_id"] = nil
        let begin = try Self.render("roistat.call", .callBegin, try Self.roistatCall(.callBegin), options: ["metrika_client_id": false])
        #expect(try JSONParser.parse(begin.body) == .object(expected))
        let end = try Self.render("roistat.call", .callEnd, try Self.roistatCall(.callEnd), options: ["metrika_client_id": false])
        #expect(try JSONParser.parse(end.body) == .object(expected.merging(Self.roistatEndTail)))
    }

    /// Seed 001's example request, `action=lead`, with its token: md5("1" + "1").
    @Test func roistatCRMLeadMatchesSeed001() throws {
        let values = try TokenValidator().validate([
            "lead_id": "6", "visit_id": "9", "lead_title": "Caught lead: 11230001122",
            "lead_text": "Data of the form: 11230001122\nPromo-code: 1674", "lead_name": "Robert", "lead_phone": "+11230001122",
            "lead_email": "email@mail.com", "lead_data": ["page": "http://site.com/"], "lead_created_at": "2015-06-28 09:12:54",
        ], for: .leadCreated)
        let payload = try Self.render("roistat.crm.lead", .leadCreated, values, options: ["user": "1", "password": "1"])
        #expect(payload.contentType == nil && payload.body.isEmpty)
        let pairs = FormEncoding.query.decode(try #require(payload.query))
        #expect(pairs.map(\.name) == ["user", "token", "action", "visit", "id", "title", "text", "name", "phone", "email", "data", "created_date"])
        let value = Dictionary(uniqueKeysWithValues: pairs.map { ($0.name, $0.value) })
        #expect(value["token"] == "6512bd43d9caa6e02c990b0a82652dca")
        #expect(value["user"] == "1" && value["action"] == "lead" && value["visit"] == "9" && value["id"] == "6")
        #expect(value["title"] == "Caught lead: 11230001122" && value["phone"] == "+11230001122" && value["email"] == "email@mail.com")
        #expect(try JSONParser.parse(value["data"]!) == JSONParser.parse(#"{"page":"http:\/\/site.com\/"}"#))
        #expect(value["created_date"] == "2015-06-28 09:12:54")
    }

    @Test func roistatCRMCallIsALeadFromCallTracking() throws {
        let values = try TokenValidator().validate([
            "callid": "90", "ani": "11230001122", "tracking": "18005550100", "call_start_time": "2015-04-15T17:22:00Z", "landing_page": "http://site.com",
        ], for: .callBegin)
        let payload = try Self.render("roistat.crm.lead", .callBegin, values, options: ["user": "demouser", "password": "pw"])
        let value = Dictionary(uniqueKeysWithValues: FormEncoding.query.decode(try #require(payload.query)).map { ($0.name, $0.value) })
        #expect(value["title"] == "Incoming call from 11230001122")
        #expect(value["text"] == "Dialed number: 18005550100")
        #expect(value["phone"] == "11230001122" && value["id"] == "90")
        #expect(try JSONParser.parse(value["data"]!) == ["page": "http://site.com"])
    }

    @Test func roistatCRMMessageMatchesSeed001() throws {
        let values: JSONObject = [
            "lead_id": "155", "message_title": "Duplicated lead", "message_text": "Duplicated lead from Robert email@mail.com +11230001122 with a question",
        ]
        let payload = try Self.render("roistat.crm.message", .leadMessage, values, options: ["user": "demouser", "password": "secret"])
        let pairs = FormEncoding.query.decode(try #require(payload.query))
        #expect(pairs.map(\.name) == ["leadId", "title", "text", "action", "user", "token"])
        #expect(pairs.map(\.value) == [
            "155", "Duplicated lead", "Duplicated lead from Robert email@mail.com +11230001122 with a question", "message", "demouser",
            Preset.md5Hex("demousersecret"),
        ])
    }

    /// Seed 003's example body; the typographic quotes its page put into `managers_phones` are
    /// the JSON quotes Envybox sends.
    static let envyboxExample =
        #"webhooktype=1&phone=79998887766&name=&email=&call_state=Заказ звонка&call_duration=0&call_record=http://ru.callbackkiller.com/user/calls/6002540/play/8a/&called_at=&referrer=google.ru&keyword=&ip=62.183.126.159&place=Краснодар, Краснодарский край&site=somedomain.com&url=https://somedomain.com/stavropol/&shown_on=Нажал на кнопку&utm_source=&utm_medium=&utm_campaign=&utm_content=&utm_term=&visitor_id=662654972&google_client_id=1069378275.1516340609&rs=&roistat_promo=&adv_uid=&calltracking_id=&manager_phone=&manager_name=&department=&key=f94c2baa94dbc6e9eabd3c181093c08f&lpgenerator_id=&leadvertex_id=&call_id=6002540&managers_phones=[{"manager_name":"","phone":"79999999999"}]&custom_data=[]"#

    @Test func envyboxMatchesSeed003() throws {
        let values = try TokenValidator().validate([
            "callid": "6002540", "ani": "79998887766", "call_state": "Заказ звонка", "answered_time": 0,
            "rec_audiourl": "http://ru.callbackkiller.com/user/calls/6002540/play/8a/", "referral_domain": "google.ru", "visitor_ip_address": "62.183.126.159",
            "visitor_place": "Краснодар, Краснодарский край", "domain_name": "somedomain.com", "page_converted_on": "https://somedomain.com/stavropol/",
            "shown_on": "Нажал на кнопку", "visitor_id": "662654972", "google_client_id": "1069378275.1516340609",
            "widget_key": "f94c2baa94dbc6e9eabd3c181093c08f", "managers_phones": [["manager_name": "", "phone": "79999999999"]], "custom_data": [],
        ], for: .callEnd)
        let payload = try Self.render("envybox", .callEnd, values)
        #expect(payload.contentType == "application/x-www-form-urlencoded")
        let sent = FormEncoding.form.decode(String(decoding: payload.body, as: UTF8.self))
        let expected = Self.envyboxExample.split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (name: String(parts[0]), value: parts.count > 1 ? String(parts[1]) : "")
        }
        // The example's parameters in its order, then the two the seed describes but its example lacks.
        #expect(sent.map(\.name) == expected.map(\.name) + ["yandex_client_id", "yclid"])
        for (got, want) in zip(sent, expected) where got.name != "managers_phones" {
            #expect(got.value == want.value, "\(got.name)")
        }
        let phones = try #require(sent.first { $0.name == "managers_phones" })
        #expect(try JSONParser.parse(phones.value) == JSONParser.parse(#"[{"manager_name":"","phone":"79999999999"}]"#))
    }

    struct WebhookTypeCase: Sendable, CustomTestStringConvertible {
        var kind: EventKind
        var values: JSONObject
        var code: Int
        var testDescription: String { "\(kind.rawValue) \(values.jsonText) → \(code)" }
    }

    @Test(arguments: [
        WebhookTypeCase(kind: .callBegin, values: [:], code: 7),
        WebhookTypeCase(kind: .callEnd, values: ["call_state": "Состоялся разговор"], code: 2),
        WebhookTypeCase(kind: .callEnd, values: ["call_state": "Заказ звонка на 01.01.2021 в 0:00:00"], code: 1),
        WebhookTypeCase(kind: .leadCreated, values: ["lead_kind": "callback"], code: 1),
        WebhookTypeCase(kind: .leadCreated, values: ["lead_kind": "chat", "chat_channel": "manager"], code: 10),
        WebhookTypeCase(kind: .leadCreated, values: ["lead_kind": "chat", "chat_channel": "offline_form"], code: 8),
        WebhookTypeCase(kind: .leadCreated, values: ["lead_kind": "chat", "chat_channel": "online_form"], code: 12),
        WebhookTypeCase(kind: .leadCreated, values: ["lead_kind": "generator"], code: 4),
        WebhookTypeCase(kind: .leadCreated, values: ["lead_kind": "quiz"], code: 19),
        WebhookTypeCase(kind: .leadCreated, values: ["lead_kind": "video"], code: 31),
    ])
    func envyboxWebhookTypeFollowsTheEvent(_ example: WebhookTypeCase) throws {
        let payload = try Self.render("envybox", example.kind, example.values)
        let sent = FormEncoding.form.decode(String(decoding: payload.body, as: UTF8.self))
        #expect(sent.first?.name == "webhooktype" && sent.first?.value == String(example.code))
    }

    @Test func envyboxCallbackForAnotherTimeSaysWhen() throws {
        let payload = try Self.render("envybox", .leadCreated, ["lead_kind": "callback", "callback_at": "2021-01-01T00:00:00Z", "lead_phone": "79998887766"])
        let sent = Dictionary(uniqueKeysWithValues: FormEncoding.form.decode(String(decoding: payload.body, as: UTF8.self)).map { ($0.name, $0.value) })
        #expect(sent["call_state"] == "Заказ звонка на 01.01.2021 в 0:00:00")
        #expect(sent["phone"] == "79998887766" && sent["webhooktype"] == "1")
    }

    @Test func everyPresetCompilesForEveryTrigger() throws {
        for preset in Preset.all {
            let options: JSONObject = preset.options.contains { $0.required } ? ["user": "u", "password": "p"] : [:]
            let settings = WebhookSettings(
                name: preset.name, url: "http://x.example/", method: preset.method, template: .preset(PresetChoice(name: preset.name, options: options)),
                triggers: preset.triggers)
            for kind in preset.triggers { _ = try settings.compile(for: kind).render(TokenCatalogue.standard.exampleValues) }
        }
    }
}
