import Testing
@testable import HooklineCore

@Suite struct TokenCatalogueTests {
    /// Every token of spec 004, with its category, in the order the spec lists them.
    static let spec004: [(String, TokenCategory)] = [
        ("callid", .callBegin), ("session_id", .callBegin), ("dialed_time", .callEnd), ("answered_time", .callEnd),
        ("dialstatus", .callEnd), ("tracking", .callBegin), ("ani", .callBegin), ("call_start_time", .callBegin),
        ("call_end_time", .callEnd), ("target", .dni), ("global_id", .dni), ("landing_domain", .dni), ("repeat_caller", .callBegin),
        ("prompt_responses", .callEnd), ("question", .callEnd), ("question_link", .callEnd), ("response", .callEnd),
        ("domain_name", .dni), ("campaign_name", .callBegin), ("rec_audiourl", .callEnd), ("rec_audiowavurl", .callEnd),
        ("ani_is_valid", .callBegin), ("ani_line_type", .callBegin), ("ani_carrier", .callBegin), ("ani_full_name", .callBegin),
        ("ani_first_name", .callBegin), ("ani_middle_name", .callBegin), ("ani_last_name", .callBegin), ("ani_type", .callBegin),
        ("ani_street_line_1", .callBegin), ("ani_street_line_2", .callBegin), ("ani_city", .callBegin), ("ani_zip", .callBegin),
        ("ani_zip4", .callBegin), ("ani_state", .callBegin), ("ani_country_code", .callBegin), ("ani_street_number", .callBegin),
        ("ani_street_name", .callBegin), ("ani_street_type", .callBegin), ("ani_updated_at", .callBegin), ("tags", .callBegin),
        ("location_name", .locationInfo), ("location_address_line_1", .locationInfo), ("location_address_line_2", .locationInfo),
        ("location_address_city", .locationInfo), ("location_address_zip", .locationInfo), ("location_address_state", .locationInfo),
        ("account_id", .locationInfo), ("location_id", .locationInfo), ("page_id", .dni), ("page_converted_on", .dni),
        ("first_page_landed_on", .dni), ("vehicle_vin", .dni), ("vehicle_year", .dni), ("vehicle_make", .dni), ("vehicle_model", .dni),
        ("referral_domain", .dni), ("medium", .dni), ("utm_source", .dni), ("utm_medium", .dni), ("utm_campaign", .dni),
        ("utm_content", .dni), ("keyword", .dni), ("gclid", .dni), ("ring_count", .callEnd), ("site_id", .locationInfo),
        ("domain_id", .locationInfo), ("visitor_browser_family", .dni), ("visitor_browser_version", .dni), ("visitor_device", .dni),
        ("visitor_country_code", .dni), ("visitor_region", .dni), ("visitor_city", .dni), ("visitor_ip_address", .dni),
        ("visitor_operating_system", .dni), ("visitor_lat", .dni), ("visitor_long", .dni),
    ]

    /// Fields of the Roistat (000–002) and Envybox (003) payloads that 004 lacks.
    static let providerFields = [
        "visit_id", "marker", "order_id", "google_client_id", "metrika_client_id", "yandex_client_id", "yclid",
        "roistat_param_1", "roistat_param_2", "roistat_param_3", "roistat_param_4", "roistat_param_5", "source_level_1",
        "source_level_2", "first_visit", "landing_page", "custom_fields", "file_id", "utm_term", "visitor_country", "promo_code",
        "lead_name", "lead_email", "lead_text", "lead_phone", "lead_title", "lead_data", "lead_created_at", "call_state",
        "manager_phone", "manager_name", "department", "managers_phones", "custom_data", "visitor_id", "visitor_place", "shown_on",
        "rs", "roistat_promo", "adv_uid", "calltracking_id", "lpgenerator_id", "leadvertex_id", "widget_key", "chat_text",
        "chat_channel", "quiz_answers", "widget_name", "callback_at", "message_title", "message_text", "message_kind",
    ]

    let catalogue = TokenCatalogue.standard

    @Test func holdsEverySpec004TokenInItsCategory() throws {
        for (name, category) in Self.spec004 {
            let token = try #require(catalogue[name], "missing \(name)")
            #expect(token.category == category, "\(name)")
        }
    }

    @Test func holdsTheProvidersFieldsThat004Lacks() {
        for name in Self.providerFields {
            #expect(catalogue[name] != nil, "missing \(name)")
        }
    }

    @Test func namesAreUniqueAndExamplesHaveTheirTokensType() throws {
        #expect(Set(catalogue.tokens.map(\.name)).count == catalogue.tokens.count)
        let validator = TokenValidator(catalogue: catalogue)
        for token in catalogue.tokens where !token.example.isNull {
            #expect(try validator.normalize(token.example, for: token) == token.example, "\(token.name)")
            #expect(!token.description.isEmpty)
        }
    }

    @Test func dialStatusesAreTheEightOfRoistat() throws {
        #expect(try #require(catalogue["dialstatus"]).allowedValues == ["ANSWER", "BUSY", "NOANSWER", "CANCEL", "CONGESTION", "CHANUNAVAIL", "DONTCALL", "TORTURE"])
    }

    @Test func suggestsNearestNames() {
        #expect(catalogue.nearestNames(to: "anii").first == "ani")
        #expect(catalogue.nearestNames(to: "dial_status").contains("dialstatus"))
        #expect(catalogue.nearestNames(to: "zzzzzzzzzzzzzzzzzz").isEmpty)
    }
}

@Suite struct TokenValidatorTests {
    let validator = TokenValidator()

    @Test func acceptsAndNormalizesValues() throws {
        let values = try validator.validate(
            ["ani": 79990009911, "call_start_time": "2019-02-19 00:00:00", "tags": ["Region": "south"], "visitor_lat": 34], for: .callBegin)
        #expect(values["ani"] == "79990009911")
        #expect(values["call_start_time"] == "2019-02-19T00:00:00.000Z")
        #expect(values["tags"] == ["Region": "south"])
        #expect(values["visitor_lat"] == .decimal(34))
    }

    static let refusals: [(JSONValue, EventKind, String, String)] = [
        (["anii": "1"], .callBegin, "anii", "unknown token 'anii'; did you mean 'ani'"),
        (["answered_time": "29"], .callEnd, "answered_time", "must be an integer, not string"),
        (["answered_time": 2.5], .callEnd, "answered_time", "must be an integer, not number"),
        (["call_start_time": "28/03/2019"], .callBegin, "call_start_time", "is not a timestamp"),
        (["call_start_time": 1553731500], .callBegin, "call_start_time", "must be a timestamp string"),
        (["dialstatus": "ANSWERED"], .callEnd, "dialstatus", "must be one of ANSWER, BUSY"),
        (["dialstatus": "ANSWER"], .callBegin, "dialstatus", "is a call_end token and is not accepted here; send it to POST /v1/calls/{id}/end"),
        (["tags": ["a"]], .callBegin, "tags", "must be an object, not array"),
        (["ani": true], .callBegin, "ani", "must be a string, not boolean"),
        (["lead_kind": "fax"], .leadCreated, "lead_kind", "must be one of form"),
        (["ani": "1"], .leadMessage, "ani", "is not accepted here"),
        ([], .callBegin, "body", "must be a JSON object"),
    ]

    @Test(arguments: refusals)
    func refusesWithTheFieldNamed(body: JSONValue, kind: EventKind, field: String, message: String) {
        do {
            _ = try validator.validate(body, for: kind)
            Issue.record("accepted \(body)")
        } catch {
            #expect(error.field == field)
            #expect(error.message.contains(message), "\(error.message)")
        }
    }

    @Test func acceptsNullAsUnknown() throws {
        #expect(try validator.validate(["utm_source": nil], for: .callBegin)["utm_source"] == .null)
    }
}
