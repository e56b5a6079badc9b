import Crypto
import Foundation

/// A built-in webhook that reproduces a provider's payload exactly: a template per event kind and
/// the settings the provider's protocol needs.
public struct Preset: Sendable {
    public struct Option: Sendable {
        public enum Kind: String, Sendable { case string, boolean }
        public let name: String
        public let kind: Kind
        public let required: Bool
        /// Never shown back in API answers.
        public let secret: Bool
        public let defaultValue: JSONValue?
        public let description: String
    }

    public let name: String
    public let summary: String
    public let method: WebhookMethod
    /// The event kinds a webhook with the preset subscribes to unless it says otherwise.
    public let triggers: [EventKind]
    /// Kinds it also has a payload for, sent only to a webhook that asks: a provider that sends
    /// again what changed after the call (a recording) does so as one more of its own payloads.
    public let laterTriggers: [EventKind]
    public let options: [Option]
    public let answerRule: AnswerRule?
    public let captures: [AnswerCapture]
    public let firstCallOnly: Bool
    /// Tokens the preset computes when it renders.
    let computedTokens: [Token]
    /// The template for an event kind, given the options.
    let template: @Sendable (EventKind, JSONObject) -> Template
    /// The values to render with: the event's, completed with computed values and defaults.
    let prepare: @Sendable (EventKind, JSONObject, JSONObject) -> JSONObject

    /// Every kind a webhook with the preset may subscribe to; the others have no payload in the
    /// provider's format.
    public var supportedTriggers: [EventKind] { triggers + laterTriggers }

    public func template(for kind: EventKind, options: JSONObject) -> Template {
        template(kind, options)
    }

    public func values(for kind: EventKind, event values: JSONObject, options: JSONObject) -> JSONObject {
        prepare(kind, values, options)
    }

    /// The standard catalogue and what the preset computes.
    public var catalogue: TokenCatalogue {
        TokenCatalogue(tokens: TokenCatalogue.standard.tokens + computedTokens)
    }

    public static let all: [Preset] = [roistatCall, roistatCRMLead, roistatCRMMessage, envybox]

    public static func named(_ name: String) -> Preset? {
        all.first { $0.name == name }
    }
}

/// A webhook's choice of preset, with its options (credentials included).
public struct PresetChoice: Sendable, Hashable, Codable {
    public var name: String
    public var options: JSONValue

    public init(name: String, options: JSONObject) {
        self.name = name
        self.options = .object(options)
    }

    public var optionValues: JSONObject { options.objectValue ?? JSONObject() }

    public var preset: Preset? { Preset.named(name) ?? Preset.channel(named: name) }
}

// MARK: Building templates

extension Preset {
    /// A JSON template from (field, template string) pairs, in order.
    static func jsonTemplate(_ fields: [(String, String)]) -> Template {
        Template(format: .json, body: JSONValue.object(JSONObject(fields.map { ($0.0, JSONValue.string($0.1)) })).jsonText)
    }

    /// A form or query template from (parameter, template text) pairs, in order.
    static func pairsTemplate(_ format: TemplateFormat, _ fields: [(String, String)]) -> Template {
        Template(format: format, body: fields.map { "\($0.0)=\($0.1)" }.joined(separator: "\n"))
    }

    public static func md5Hex(_ text: String) -> String {
        Hex.encode(Insecure.MD5.hash(data: Data(text.utf8)))
    }

    static let credentialOptions: [Option] = [
        Option(name: "user", kind: .string, required: true, secret: false, defaultValue: nil, description: "User name from the integration settings"),
        Option(name: "password", kind: .string, required: true, secret: true, defaultValue: nil, description: "Password; only md5(user + password) is sent"),
    ]

    /// Roistat's `user` and `token = md5(user + password)`.
    static func credentials(_ values: JSONObject, _ options: JSONObject) -> JSONObject {
        var values = values
        let user = options["user"]?.stringValue ?? ""
        values["crm_user"] = .string(user)
        values["crm_token"] = .string(md5Hex(user + (options["password"]?.stringValue ?? "")))
        return values
    }

    static let credentialTokens: [Token] = [
        Token("crm_user", .preset, .string, "User name from the webhook's preset options", example: "demouser"),
        Token("crm_token", .preset, .string, "md5(user + password) from the webhook's preset options", example: "6512bd43d9caa6e02c990b0a82652dca"),
    ]
}

// MARK: Roistat

extension Preset {
    /// Roistat's call payload, field by field; `metrika_client_id` too unless turned off.
    static func roistatCallFields(metrika: Bool) -> [(String, String)] {
        var fields: [(String, String)] = [
            ("id", "%callid%"), ("caller", "%ani%"), ("callee", "%tracking%"), ("visit_id", "%visit_id%"), ("marker", "%marker%"),
            ("order_id", "%order_id%"), ("date", "%call_start_time|datetime%"), ("google_client_id", "%google_client_id%"),
            ("custom_fields", "%custom_fields%"), ("landing_page", "%landing_page%"), ("domain", "%domain_name%"),
            ("city", "%visitor_city%"), ("country", "%visitor_country%"), ("ip", "%visitor_ip_address%"),
            ("first_visit", "%first_visit%"), ("referrer", "%referral_domain%"), ("utm_source", "%utm_source%"),
            ("utm_medium", "%utm_medium%"), ("utm_campaign", "%utm_campaign%"), ("utm_term", "%utm_term%"),
            ("utm_content", "%utm_content%"), ("roistat_param_1", "%roistat_param_1%"), ("roistat_param_2", "%roistat_param_2%"),
            ("roistat_param_3", "%roistat_param_3%"), ("roistat_param_4", "%roistat_param_4%"), ("roistat_param_5", "%roistat_param_5%"),
        ]
        if metrika { fields.append(("metrika_client_id", "%metrika_client_id%")) }
        fields += [("source_level_1", "%source_level_1%"), ("source_level_2", "%source_level_2%")]
        return fields
    }

    /// The fields Roistat adds to its webhook after the call (the recording, the call's outcome).
    static let roistatCallEndFields: [(String, String)] = [
        ("status", "%dialstatus%"), ("file_id", "%file_id%"), ("duration", "%answered_time%"), ("link", "%rec_audiourl%"),
    ]

    public static let roistatCall = Preset(
        name: "roistat.call",
        summary: "Roistat call webhook: JSON POST at the moment of the call and after it (status, file_id, duration, link)",
        method: .post, triggers: [.callBegin, .callEnd], laterTriggers: [.callUpdated],
        options: [
            Option(
                name: "metrika_client_id", kind: .boolean, required: false, secret: false, defaultValue: true,
                description: "Send metrika_client_id, as the Russian edition of the webhook does")
        ],
        answerRule: nil, captures: [], firstCallOnly: false, computedTokens: [],
        template: { kind, options in
            var fields = roistatCallFields(metrika: options["metrika_client_id"]?.boolValue ?? true)
            // The after-call webhook is sent again, whole, when the call changes later (its
            // recording's link arrives): Roistat's receivers take it by the call's id.
            if kind == .callEnd || kind == .callUpdated { fields += roistatCallEndFields }
            return jsonTemplate(fields)
        },
        prepare: { _, values, _ in
            var values = values
            if values["custom_fields"] == nil { values["custom_fields"] = [] }
            if values["rec_audiourl"] == nil { values["rec_audiourl"] = "" }
            return values
        })

    /// Roistat's own-CRM `action=lead`: a lead, or a call from call tracking (first call of a number only).
    public static let roistatCRMLead = Preset(
        name: "roistat.crm.lead",
        summary: "Roistat own-CRM webhook, action=lead: GET parameters; delivered only on {\"status\":\"ok\"}, order_id kept on the call or lead",
        method: .get, triggers: [.leadCreated, .callBegin], laterTriggers: [], options: credentialOptions,
        answerRule: AnswerRule(path: JSONPath(steps: [.key("status")]), equals: "ok"),
        captures: [AnswerCapture(path: JSONPath(steps: [.key("order_id")]), token: "order_id")],
        firstCallOnly: true,
        computedTokens: credentialTokens + [Token("crm_data", .preset, .object, "The lead's data, or the call's landing page as {\"page\": …}", example: ["page": "http://site.com/"])],
        template: { kind, _ in
            let call = kind.subject == .call
            return pairsTemplate(.query, [
                ("user", "%crm_user%"), ("token", "%crm_token%"), ("action", "lead"), ("visit", "%visit_id%"),
                ("id", call ? "%callid%" : "%lead_id%"),
                ("title", call ? "Incoming call from %ani%" : "%lead_title%"),
                ("text", call ? "Dialed number: %tracking%" : "%lead_text%"),
                ("name", call ? "%ani_full_name%" : "%lead_name%"),
                ("phone", call ? "%ani%" : "%lead_phone%"),
                ("email", call ? "" : "%lead_email%"),
                ("data", "%crm_data%"),
                ("created_date", call ? "%call_start_time|datetime%" : "%lead_created_at|datetime%"),
            ])
        },
        prepare: { kind, values, options in
            var values = credentials(values, options)
            if kind == .leadCreated {
                values["crm_data"] = values["lead_data"] ?? .object(JSONObject())
            } else {
                values["crm_data"] = values["landing_page"].map { ["page": $0] } ?? .object(JSONObject())
            }
            return values
        })

    /// Roistat's own-CRM `action=message`: additional information on a deal.
    public static let roistatCRMMessage = Preset(
        name: "roistat.crm.message",
        summary: "Roistat own-CRM webhook, action=message: GET parameters; delivered only on {\"status\":\"ok\"}",
        method: .get, triggers: [.leadMessage], laterTriggers: [], options: credentialOptions,
        answerRule: AnswerRule(path: JSONPath(steps: [.key("status")]), equals: "ok"),
        captures: [AnswerCapture(path: JSONPath(steps: [.key("order_id")]), token: "order_id")],
        firstCallOnly: false, computedTokens: credentialTokens,
        template: { _, _ in
            pairsTemplate(.query, [
                ("leadId", "%lead_id%"), ("title", "%message_title%"), ("text", "%message_text%"), ("action", "message"),
                ("user", "%crm_user%"), ("token", "%crm_token%"),
            ])
        },
        prepare: { _, values, options in credentials(values, options) })
}

// MARK: Envybox

extension Preset {
    /// Envybox's parameters in the order it sends them; `yandex_client_id` and `yclid`, which the
    /// documentation names but its example lacks, at the end.
    static func envyboxFields(lead: Bool) -> [(String, String)] {
        [
            ("webhooktype", "%webhooktype%"), ("phone", lead ? "%lead_phone%" : "%ani%"), ("name", lead ? "%lead_name%" : "%ani_full_name%"),
            ("email", lead ? "%lead_email%" : ""), ("call_state", "%envybox_call_state%"),
            ("call_duration", lead ? "0" : "%answered_time%"), ("call_record", lead ? "" : "%rec_audiourl%"),
            ("called_at", "%envybox_called_at|datetime%"), ("referrer", "%referral_domain%"),
            ("keyword", "%keyword%"), ("ip", "%visitor_ip_address%"), ("place", "%visitor_place%"), ("site", "%domain_name%"),
            ("url", "%page_converted_on%"), ("shown_on", "%shown_on%"), ("utm_source", "%utm_source%"), ("utm_medium", "%utm_medium%"),
            ("utm_campaign", "%utm_campaign%"), ("utm_content", "%utm_content%"), ("utm_term", "%utm_term%"),
            ("visitor_id", "%visitor_id%"), ("google_client_id", "%google_client_id%"), ("rs", "%rs%"),
            ("roistat_promo", "%roistat_promo%"), ("adv_uid", "%adv_uid%"), ("calltracking_id", "%calltracking_id%"),
            ("manager_phone", lead ? "" : "%manager_phone%"), ("manager_name", lead ? "" : "%manager_name%"),
            ("department", lead ? "" : "%department%"), ("key", "%widget_key%"), ("lpgenerator_id", "%lpgenerator_id%"),
            ("leadvertex_id", "%leadvertex_id%"), ("call_id", lead ? "%lead_id%" : "%callid%"),
            ("managers_phones", lead ? "" : "%managers_phones%"), ("custom_data", "%custom_data%"),
            ("yandex_client_id", "%yandex_client_id%"), ("yclid", "%yclid%"),
        ]
    }

    /// Envybox's `webhooktype` for an event.
    static func envyboxType(_ kind: EventKind, _ values: JSONObject) -> Int64 {
        switch kind {
        case .callBegin: return 7
        // A later change (its `call_record`) is Envybox's call information again.
        case .callEnd, .callUpdated, .callConverted: return envyboxCallbackOrdered(values["call_state"]?.stringValue) ? 1 : 2
        case .leadCreated, .leadUpdated, .leadMessage:
            switch values["lead_kind"]?.stringValue {
            case "callback": return 1
            case "chat":
                switch values["chat_channel"]?.stringValue {
                case "manager": return 10
                case "offline_form": return 8
                default: return 12
                }
            case "quiz": return 19
            case "video": return 31
            default: return 4
            }
        // Never sent to Envybox's preset: alerts go to notification channels only.
        case .webhookFailing, .webhookRecovered, .webhookDisabled, .deliveryDead: return 0
        }
    }

    static func envyboxCallbackOrdered(_ state: String?) -> Bool {
        state?.hasPrefix("Заказ звонка") ?? false
    }

    /// "Заказ звонка на 01.01.2021 в 0:00:00", as Envybox writes a callback for another time.
    static func envyboxCallbackState(_ at: JSONValue?) -> String {
        guard let text = at?.stringValue, let time = Timestamp(parsing: text) else { return "Заказ звонка" }
        let spaced = time.spaced
        let parts = spaced.split(separator: " ")
        let date = parts[0].split(separator: "-")
        let clock = parts[1].split(separator: ":")
        return "Заказ звонка на \(date[2]).\(date[1]).\(date[0]) в \(Int(clock[0]) ?? 0):\(clock[1]):\(clock[2])"
    }

    public static let envybox = Preset(
        name: "envybox",
        summary: "Envybox (Callbackkiller) webhook: form POST with webhooktype 7 call start, 2 call info, 1 callback ordered, 10/8/12 chat, 4 generator, 19 quiz, 31 video widget",
        method: .post, triggers: [.callBegin, .callEnd, .leadCreated], laterTriggers: [.callUpdated], options: [],
        answerRule: nil, captures: [], firstCallOnly: false,
        computedTokens: [
            Token("webhooktype", .preset, .integer, "Envybox event code", example: 7),
            Token("envybox_call_state", .preset, .string, "Envybox call_state: the call's state, or the callback order", example: "Заказ звонка"),
            Token("envybox_called_at", .preset, .timestamp, "Envybox called_at: when the call began; a callback's time, empty until it is called", example: "2021-03-02T10:36:14Z"),
        ],
        template: { kind, _ in pairsTemplate(.form, envyboxFields(lead: kind.subject == .lead)) },
        prepare: { kind, values, _ in
            var values = values
            values["webhooktype"] = .integer(envyboxType(kind, values))
            switch kind.subject {
            case .call:
                values["envybox_call_state"] = values["call_state"] ?? ""
                // A callback ordered (webhooktype 1) has not been called yet: Envybox sends it with
                // called_at empty, whenever Hookline stamped the call's begin.
                values["envybox_called_at"] = envyboxCallbackOrdered(values["call_state"]?.stringValue) ? nil : values["call_start_time"]
                if values["answered_time"] == nil { values["answered_time"] = 0 }
                if values["managers_phones"] == nil { values["managers_phones"] = [] }
            case .lead:
                values["envybox_call_state"] = values["lead_kind"] == "callback" ? .string(envyboxCallbackState(values["callback_at"])) : ""
                values["envybox_called_at"] = values["callback_at"]
            case .webhook: break
            }
            if values["custom_data"] == nil { values["custom_data"] = [] }
            return values
        })
}
