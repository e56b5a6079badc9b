/// Where a notification channel delivers alerts: a JSON body for any receiver, a Slack incoming
/// webhook, or a Telegram bot's message to a chat. A channel is a webhook of the account with one
/// of these presets, so its alerts go through the same queue, retries, signing and SSRF guard.
public enum ChannelKind: String, Sendable, CaseIterable, Codable {
    case json, slack, telegram

    public var preset: Preset {
        switch self {
        case .json: .alertJSON
        case .slack: .alertSlack
        case .telegram: .alertTelegram
        }
    }

    /// The channel kind of a webhook's settings; nil for an ordinary webhook.
    public init?(_ settings: WebhookSettings) {
        guard let name = settings.template.presetChoice?.name, let kind = Self.allCases.first(where: { $0.preset.name == name }) else { return nil }
        self = kind
    }

    /// Telegram's Bot API address for a bot's messages.
    public static func telegramURL(api: String, botToken: String) -> String {
        (api.hasSuffix("/") ? String(api.dropLast()) : api) + "/bot" + botToken + "/sendMessage"
    }

    public static let telegramAPI = "https://api.telegram.org"
}

extension Webhook {
    /// A notification channel: reached at its own routes, never swept for alerts itself.
    public var isChannel: Bool { ChannelKind(settings) != nil }
}

extension Preset {
    public static let channels: [Preset] = ChannelKind.allCases.map(\.preset)

    public static func channel(named name: String) -> Preset? {
        channels.first { $0.name == name }
    }

    public static let alertJSON = Preset(
        name: "alerts.json",
        summary: "Alerts as JSON: type, timestamp and data (the webhook, its failures, its dead deliveries, a link), signed with Standard Webhooks",
        method: .post, triggers: EventKind.alerts, laterTriggers: [], options: [], answerRule: nil, captures: [], firstCallOnly: false,
        computedTokens: [],
        template: { _, _ in
            Template(
                format: .json,
                body: """
                    {"type": "%alert_type%", "timestamp": "%alert_time%", "data": {"webhook_id": "%webhook_id%", "webhook_name": "%webhook_name%", \
                    "webhook_url": "%webhook_url%", "failure_count": "%failure_count%", "failing_since": "%failing_since%", "last_error": "%last_error%", \
                    "disabled_reason": "%disabled_reason%", "dead_count": "%dead_count%", "reminder_days": "%reminder_days%", "test": "%alert_test%", \
                    "url": "%alert_url%", "text": "%alert_text%"}}
                    """)
        },
        prepare: { _, values, _ in values })

    public static let alertSlack = Preset(
        name: "alerts.slack",
        summary: "Alerts to a Slack incoming webhook: one message with a link",
        method: .post, triggers: EventKind.alerts, laterTriggers: [], options: [], answerRule: nil, captures: [], firstCallOnly: false,
        computedTokens: [],
        template: { _, _ in jsonTemplate([("text", "%alert_text%")]) },
        prepare: { _, values, _ in values })

    public static let alertTelegram = Preset(
        name: "alerts.telegram",
        summary: "Alerts to a Telegram chat through a bot's sendMessage",
        method: .post, triggers: EventKind.alerts, laterTriggers: [],
        options: [Option(name: "chat_id", kind: .string, required: true, secret: false, defaultValue: nil, description: "The chat, group or channel the bot writes to")],
        answerRule: nil, captures: [], firstCallOnly: false,
        computedTokens: [Token("telegram_chat_id", .preset, .string, "The chat the bot writes to, from the channel", example: "-1001234567890")],
        template: { _, _ in
            Template(format: .json, body: #"{"chat_id": "%telegram_chat_id%", "text": "%alert_text%", "disable_web_page_preview": true}"#)
        },
        prepare: { _, values, options in
            var values = values
            values["telegram_chat_id"] = options["chat_id"]
            return values
        })
}
