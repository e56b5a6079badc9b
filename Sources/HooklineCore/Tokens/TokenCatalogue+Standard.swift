// The standard catalogue. Names, categories, descriptions and examples of the call, DNI and
// location tokens are those of the call-tracking product's Webhook Management (spec 004); the rest
// are the Roistat (spec 000–002) and Envybox (spec 003) fields that 004 lacks.

extension TokenCatalogue {
    /// The eight call outcomes of Roistat (spec 000), the values of `dialstatus`.
    public static let dialStatuses = ["ANSWER", "BUSY", "NOANSWER", "CANCEL", "CONGESTION", "CHANUNAVAIL", "DONTCALL", "TORTURE"]

    /// What produced a lead: a site form, a callback order, a chat, a quiz, a video widget, a lead
    /// generator (Envybox) or a CRM (Roistat).
    public static let leadKinds = ["form", "callback", "chat", "quiz", "video", "generator", "crm"]

    /// Roistat's two kinds of additional information on a deal (spec 001).
    public static let messageKinds = ["duplicate_lead", "conversation_history", "chat_message"]

    public static let standard = TokenCatalogue(tokens: callBegin + callEnd + dni + locationInfo + lead + message + afterCall + conversion + update + source + alert)

    private static let callBegin: [Token] = [
        Token("callid", .callBegin, .string, "CallID - Unique Identifier of call", example: "093cc03c.e6a4.6ac6.978f.740b10afeaca"),
        Token("session_id", .callBegin, .string, "Session ID - ID for the users session", example: "5da13c4f-753f-448a-81a1-12456785be20"),
        Token("tracking", .callBegin, .string, "Tracking - The Tracking number dialed", example: "7774839229"),
        Token("ani", .callBegin, .string, "ANI - Telephone number of person calling", example: "7776734736"),
        Token("call_start_time", .callBegin, .timestamp, "Call Start Time - The start time of call (Default: 24 hour GMT)", example: "2019-03-28T00:05:00.000Z"),
        Token("repeat_caller", .callBegin, .integer, "Repeat Caller - 1 or 0", example: 1, range: 0...1),
        Token("campaign_name", .callBegin, .string, "Campaign Name - Campaign Name", example: "Sales Campaign"),
        Token("ani_is_valid", .callBegin, .integer, "Is Valid - 1 or 0", example: 1, range: 0...1),
        Token("ani_line_type", .callBegin, .string, "Line Type - Caller's line type (Mobile/NonFixedVOIP/Landline/TollFree/FixedVOIP)", example: "Mobile"),
        Token("ani_carrier", .callBegin, .string, "Carrier - Caller's Carrier", example: "Verizon Wireless"),
        Token("ani_full_name", .callBegin, .string, "Full Name - Caller's Full Name", example: "Freddy Krueger"),
        Token("ani_first_name", .callBegin, .string, "First Name - Caller's First Name", example: "Freddy"),
        Token("ani_middle_name", .callBegin, .string, "Middle Name - Caller's Middle Name", example: "Charles"),
        Token("ani_last_name", .callBegin, .string, "Last Name - Caller's Last Name", example: "Krueger"),
        Token("ani_type", .callBegin, .string, "Type - Caller's Home Type - (Single Family or Multi Family)", example: "Single Family"),
        Token("ani_street_line_1", .callBegin, .string, "Street Line 1 - Caller's Address Line 1", example: "1428 Elm Street"),
        Token("ani_street_line_2", .callBegin, .string, "Street Line 2 - Caller's Address Line 2", example: "Apt 2"),
        Token("ani_city", .callBegin, .string, "City - Callers City Name", example: "Springwood"),
        Token("ani_zip", .callBegin, .string, "ZIP - Callers Zip Code", example: "50035"),
        Token("ani_zip4", .callBegin, .string, "ZIP4 - Callers Zip plus 4", example: "1001"),
        Token("ani_state", .callBegin, .string, "State - Callers State Name", example: "Ohio"),
        Token("ani_country_code", .callBegin, .string, "Country Code - Caller Country Code", example: "US"),
        Token("ani_street_number", .callBegin, .string, "Street Number - Caller Street Number", example: "1428"),
        Token("ani_street_name", .callBegin, .string, "Street Name - Caller Street Name", example: "Elm"),
        Token("ani_street_type", .callBegin, .string, "Street Type - Caller Street Type", example: "St"),
        Token("ani_updated_at", .callBegin, .string, "Updated At - Caller Information last lookup data", example: "13 Oct 2020 3:15:12 PM"),
        Token("tags", .callBegin, .object, "Tags - Data used to identify and group campaigns (Nested object)", example: ["Region": "south"]),
        // Roistat call webhook (spec 000, 002).
        Token("order_id", .callBegin, .identifier, "ID of the deal in the CRM (captured from the CRM's answer)", example: "123456789"),
        Token("custom_fields", .callBegin, .array, "Custom fields of the deal", example: []),
        Token("file_id", .callEnd, .string, "Roistat recording file ID", example: nil),
        // Envybox (spec 003).
    ]

    private static let callEnd: [Token] = [
        Token("dialed_time", .callEnd, .integer, "Dialed Time - Full Duration including dial time", example: 36, range: 0...Int64.max),
        Token("answered_time", .callEnd, .integer, "Answered Time - Duration of connection time", example: 29, range: 0...Int64.max),
        Token("dialstatus", .callEnd, .string, "DialStatus - Did remote party answer or not", example: "ANSWER", allowedValues: dialStatuses),
        Token("call_end_time", .callEnd, .timestamp, "Call End Time - The end time of call (Default: 24 hour GMT)", example: "2019-03-28T00:05:30.000Z"),
        Token("prompt_responses", .callEnd, .array, "Treatment Response - Call Treatment Flow of consumer (Nested object)", example: [["question": "one", "question_link": "http://app.example.com/prompts-qa/audio/-1/94f17d142e0e861bfa34.wav", "response": "1"]]),
        Token("question", .callEnd, .string, "Question Name", example: "one"),
        Token("question_link", .callEnd, .string, "Link to audio file", example: "http://app.example.com/prompts-qa/audio/-1/94f17d142e0e861bfa34.wav"),
        Token("response", .callEnd, .string, "What the caller pressed", example: "1"),
        Token("rec_audiourl", .callEnd, .string, "Audio URL - Audio Recording in MONO MP3 Format", example: "https://audio.example.com/MP3/202110/demo.e123.4d3c.41de.123468.mp3"),
        Token("rec_audiowavurl", .callEnd, .string, "Audio URL - Audio Recording in Stereo WAV Format", example: "https://audio.example.com/MP3/202110/demo.e123.4d3c.41de.123468.wav"),
        Token("ring_count", .callEnd, .integer, "Ring Count - Count of Rings before Answer", example: 4, range: 0...Int64.max),
        // Envybox (spec 003).
        Token("call_state", .callEnd, .string, "Envybox call state: who did not pick up, operator busy, conversation took place, callback ordered", example: "Состоялся разговор"),
        Token("manager_phone", .callEnd, .string, "Phone of the manager who took the call (Envybox)", example: "79999999999"),
        Token("manager_name", .callEnd, .string, "Name of the manager who took the call (Envybox)", example: "Анна"),
        Token("department", .callEnd, .string, "Department that took the call (Envybox)", example: "Sales"),
        Token("managers_phones", .callEnd, .array, "Managers called, with their phones (Envybox)", example: [["manager_name": "", "phone": "79999999999"]]),
    ]

    private static let dni: [Token] = [
        Token("target", .dni, .string, "Target - The target destination", example: "7776734700"),
        Token("global_id", .dni, .string, "Global ID - Unique user identification", example: "0f9cec2d1236e1234d8e123a7adff123"),
        Token("landing_domain", .dni, .string, "Landing Domain - Domain Name of website consumer landed on", example: "example.com"),
        Token("domain_name", .dni, .string, "Domain Name - Domain Name where DNI is installed", example: "example.com"),
        Token("page_id", .dni, .string, "Unique ID of the Web Page", example: "e14eb2bb-b829-4d19-bf5a-da76ccffbf4e"),
        Token("page_converted_on", .dni, .string, "Page Converted On - The page that your customer made the call", example: "https://www.example.com/about_us.htm"),
        Token("first_page_landed_on", .dni, .string, "First Page Landed On - The page that your customer first landed on your site", example: "https://www.example.com"),
        Token("vehicle_vin", .dni, .string, "Vehicle Identifier", example: "1C6RRFFG9KN909808"),
        Token("vehicle_year", .dni, .integer, "Vehicle Year", example: 2019),
        Token("vehicle_make", .dni, .string, "Vehicle Make", example: "Ram"),
        Token("vehicle_model", .dni, .string, "Vehicle Model", example: "1500"),
        Token("referral_domain", .dni, .string, "Referral Domain - Domain user was referred from", example: "facebook.com"),
        Token("medium", .dni, .string, "Medium Type - Paid|Organic|Direct|Referral|Other", example: "Paid"),
        Token("utm_source", .dni, .string, "UTM Source - Identifies source of traffic", example: "google"),
        Token("utm_medium", .dni, .string, "UTM Medium - Specifies the medium like social or newsletter", example: "social"),
        Token("utm_campaign", .dni, .string, "UTM Campaign - Identifies the campaign the URL is part of", example: "sales"),
        Token("utm_content", .dni, .string, "UTM Content - Content user is directed to", example: "123"),
        Token("utm_term", .dni, .string, "UTM Term - Paid search keyword", example: "air conditioning"),
        Token("keyword", .dni, .string, "Keyword - Tracking", example: "air conditioning"),
        Token("gclid", .dni, .string, "GCLID - Google Click ID", example: "xyz123"),
        Token("visitor_browser_family", .dni, .string, "Visitors - Browser Family", example: "Firefox"),
        Token("visitor_browser_version", .dni, .string, "Visitors - Browser Version", example: "79"),
        Token("visitor_device", .dni, .string, "Visitors - Device", example: "Other"),
        Token("visitor_country_code", .dni, .string, "Visitors - Country Code", example: "US"),
        Token("visitor_region", .dni, .string, "Visitors - Region", example: "CA"),
        Token("visitor_city", .dni, .string, "Visitors - City", example: "Los Angeles"),
        Token("visitor_ip_address", .dni, .string, "Visitors - IP Address", example: "47.156.108.175"),
        Token("visitor_operating_system", .dni, .string, "Visitors - Operating System", example: "Mac OS X"),
        Token("visitor_lat", .dni, .decimal, "Visitors - Latitude", example: 34.1535),
        Token("visitor_long", .dni, .decimal, "Visitors - Longitude", example: -117.8457),
        // Roistat (spec 000, 001, 002).
        Token("visitor_country", .dni, .string, "Visitors - Country name", example: "USA"),
        Token("landing_page", .dni, .string, "Landing page of the visit", example: "test.com/new"),
        Token("google_client_id", .dni, .string, "Client ID in Google Analytics", example: "111111111.1111111111"),
        Token("metrika_client_id", .dni, .string, "Client ID in Yandex Metrika", example: nil),
        Token("roistat_param_1", .dni, .string, "Roistat custom parameter 1", example: nil),
        Token("roistat_param_2", .dni, .string, "Roistat custom parameter 2", example: nil),
        Token("roistat_param_3", .dni, .string, "Roistat custom parameter 3", example: nil),
        Token("roistat_param_4", .dni, .string, "Roistat custom parameter 4", example: nil),
        Token("roistat_param_5", .dni, .string, "Roistat custom parameter 5", example: nil),
        Token("source_level_1", .dni, .string, "Roistat source, first level", example: "fb"),
        Token("source_level_2", .dni, .string, "Roistat source, second level", example: "new"),
        // Envybox (spec 003).
        Token("yandex_client_id", .dni, .string, "Yandex Client ID", example: "1616161616161616161"),
        Token("yclid", .dni, .string, "Yandex Click ID", example: "2323232323"),
        Token("visitor_id", .dni, .string, "Visitor ID kept by the widget (Envybox)", example: "662654972"),
        Token("visitor_place", .dni, .string, "Visitor location as text (Envybox `place`)", example: "Краснодар, Краснодарский край"),
        Token("shown_on", .dni, .string, "How the widget was shown (Envybox)", example: "Нажал на кнопку"),
        Token("rs", .dni, .string, "Value for Roistat (Envybox `rs`)", example: ""),
        Token("roistat_promo", .dni, .string, "Value of the roistat_visit cookie (Envybox)", example: ""),
        Token("adv_uid", .dni, .string, "UID for the advertise service (Envybox)", example: ""),
        Token("lpgenerator_id", .dni, .string, "LPgenerator ID (Envybox)", example: ""),
        Token("leadvertex_id", .dni, .string, "LeadVertex ID (Envybox)", example: ""),
        Token("visit_id", .dni, .string, "Roistat visit number", example: "123456"),
        Token("marker", .dni, .string, "Roistat visit source marker", example: "fb_new"),
        Token("first_visit", .dni, .string, "Roistat first visit number", example: "1001"),
        Token("calltracking_id", .dni, .string, "ID for the call-tracking service (Envybox)", example: "ct-1001"),
        Token("widget_key", .dni, .string, "Envybox widget key (`key`)", example: "f94c2baa94dbc6e9eabd3c181093c08f"),
        Token("custom_data", .dni, .array, "Custom values set on the site with WBK.setCustomParams (Envybox)", example: []),
    ]

    private static let locationInfo: [Token] = [
        Token("location_name", .locationInfo, .string, "Location - Name", example: "Auto ID"),
        Token("location_address_line_1", .locationInfo, .string, "Location - Address Line 1", example: "157 Main Street"),
        Token("location_address_line_2", .locationInfo, .string, "Location - Address Line 2", example: "Apt 4"),
        Token("location_address_city", .locationInfo, .string, "Location - City", example: "Los Angeles"),
        Token("location_address_zip", .locationInfo, .string, "Location - Zip", example: "91741"),
        Token("location_address_state", .locationInfo, .string, "Location - State", example: "CA"),
        Token("account_id", .locationInfo, .string, "Account ID - Client's provided account number", example: "26627332"),
        Token("location_id", .locationInfo, .string, "Location ID - Client's provided location ID", example: "3242243"),
        Token("site_id", .locationInfo, .string, "AutoIDs Site Identifier", example: "4567"),
        Token("domain_id", .locationInfo, .string, "AutoIDs Location Identifier", example: "1234"),
    ]

    private static let lead: [Token] = [
        Token("lead_id", .lead, .string, "ID of the lead", example: "90"),
        Token("lead_kind", .lead, .string, "What produced the lead", example: "form", allowedValues: leadKinds),
        Token("lead_title", .lead, .string, "Title of the lead", example: "Caught lead: 11230001122"),
        Token("lead_text", .lead, .string, "Additional information, usually sent as a comment to the deal", example: "Data of the form: 11230001122"),
        Token("lead_name", .lead, .string, "Name the visitor gave", example: "Robert"),
        Token("lead_phone", .lead, .string, "Phone the visitor gave", example: "+11230001122"),
        Token("lead_email", .lead, .string, "Email the visitor gave", example: "email@mail.com"),
        Token("lead_data", .lead, .object, "Additional form fields, with the landing page under `page`", example: ["page": "http://site.com/"]),
        Token("lead_created_at", .lead, .timestamp, "When the lead was received (UTC)", example: "2015-06-28T09:12:54.000Z"),
        Token("promo_code", .lead, .string, "Promo code shown to the visitor", example: "1674"),
        Token("callback_at", .lead, .timestamp, "Time the visitor asked to be called back at", example: "2021-01-01T00:00:00.000Z"),
        Token("chat_channel", .lead, .string, "Chat channel: manager (app or web), offline_form, online_form", example: "online_form", allowedValues: ["manager", "offline_form", "online_form"]),
        Token("chat_text", .lead, .string, "Text the visitor or manager sent in the chat", example: "Здравствуйте!"),
        Token("quiz_answers", .lead, .array, "Answers given in a quiz widget", example: [["question": "Budget?", "answer": "100 000"]]),
        Token("widget_name", .lead, .string, "Name of the widget that produced the lead", example: "Video widget"),
    ]

    private static let message: [Token] = [
        Token("message_id", .message, .string, "ID of the message", example: "155-1"),
        Token("message_kind", .message, .string, "Kind of additional information on the deal", example: "duplicate_lead", allowedValues: messageKinds),
        Token("message_title", .message, .string, "Title of the message", example: "Duplicated lead"),
        Token("message_text", .message, .string, "Notification message", example: "Duplicated lead from Robert email@mail.com +11230001122 with a question"),
        Token("message_sent_at", .message, .timestamp, "When the message was sent (UTC)", example: "2015-06-28T09:15:00.000Z"),
        Token("message_history", .message, .array, "Conversation history between the client and the manager", example: [["from": "client", "text": "Hello"]]),
    ]

    private static let afterCall: [Token] = [
        Token("transcript", .afterCall, .string, "Transcript of the call's conversation", example: "Hello, I would like to book a test drive."),
        Token("call_score", .afterCall, .integer, "Score a manager or an analysis gave the call, 0 to 100", example: 80, range: 0...100),
        Token("call_note", .afterCall, .string, "Note a manager wrote on the call", example: "Wants a quote by Friday"),
        Token("call_value", .afterCall, .decimal, "Value of the call to the business", example: 250.0),
        Token("call_labels", .afterCall, .array, "Labels a manager put on the call", example: ["qualified", "service"]),
    ]

    private static let conversion: [Token] = [
        Token("conversion_id", .conversion, .string, "ID of the conversion", example: "sale-1042"),
        Token("conversion_name", .conversion, .string, "What the conversion is: a sale, a booking, an outcome", example: "Sale"),
        Token("conversion_value", .conversion, .decimal, "Value of the conversion", example: 1250.5),
        Token("conversion_currency", .conversion, .string, "Currency of the value, as an ISO 4217 code", example: "USD"),
        Token("converted_at", .conversion, .timestamp, "When the conversion happened (UTC)", example: "2019-03-29T14:00:00.000Z"),
        Token("conversion_fields", .conversion, .object, "Custom fields of the conversion", example: ["order": "A-77"]),
    ]

    private static let update: [Token] = [
        Token("changed_fields", .update, .array, "Names of the tokens this update or end changed", example: ["rec_audiourl"]),
        Token("previous_values", .update, .object, "What each changed token was before (null when it was unknown)", example: ["rec_audiourl": nil]),
        Token("updated_at", .update, .timestamp, "When the update was received (UTC)", example: "2019-03-28T00:08:30.000Z"),
    ]

    private static let source: [Token] = [
        Token(
            "source_fields", .source, .object, "A JSON source's payload as sent, without the fields mapped to tokens",
            example: ["$.agent.name": "Anna", "$.tags[0]": "vip"]),
    ]

    private static let alert: [Token] = [
        Token(
            "alert_type", .alert, .string, "What the alert says: failing, recovered, disabled, or deliveries dead", example: "webhook.failing",
            allowedValues: EventKind.alerts.map(\.rawValue)),
        Token("alert_text", .alert, .string, "The alert as one sentence for people, with its link", example: "Webhook \"CRM\" is failing: 5 attempts in a row failed (HTTP 500). https://hookline.example/webhooks/whk_1"),
        Token("alert_url", .alert, .string, "Where to look: the webhook's page, or its log filtered to what died", example: "https://hookline.example/webhooks/whk_1"),
        Token("alert_time", .alert, .timestamp, "When Hookline raised the alert (UTC)", example: "2026-12-03T10:00:00.000Z"),
        Token("webhook_id", .alert, .string, "The webhook the alert is about", example: "whk_1"),
        Token("webhook_name", .alert, .string, "Its name", example: "CRM"),
        Token("webhook_url", .alert, .string, "Where it sends", example: "https://crm.example/hooks/calls"),
        Token("failure_count", .alert, .integer, "Attempts failed in a row", example: 5, range: 0...Int64.max),
        Token("failing_since", .alert, .timestamp, "When it began failing (UTC); empty when it is not", example: "2026-12-03T09:55:00.000Z"),
        Token("last_error", .alert, .string, "What the latest failed attempt met", example: "HTTP 500"),
        Token("disabled_reason", .alert, .string, "Why Hookline disabled it", example: "the receiver answered 410 Gone"),
        Token("dead_count", .alert, .integer, "Deliveries that died since the previous digest", example: 3, range: 0...Int64.max),
        Token("reminder_days", .alert, .integer, "Days it has been down when this is a reminder; 0 on the first alert", example: 0, range: 0...Int64.max),
        Token("alert_test", .alert, .boolean, "True for a test sent from the channel's page", example: false),
    ]
}
