import HooklineCore

/// A notification channel's body as the API and the Notifications page take it, read into the
/// settings of the webhook that carries it: `kind` (json, slack, telegram; fixed once created),
/// `name`, `url` (json, slack) or `bot_token`, `chat_id` and `api_url` (telegram), `events` (the
/// alerts it takes; default all), `enabled`. Signed with Standard Webhooks, with its own secret.
enum ChannelInput {
    static let fields: Set<String> = ["kind", "name", "url", "bot_token", "chat_id", "api_url", "events", "enabled"]

    /// - Parameter base: the channel's current settings, for a partial update; nil to create.
    static func settings(_ body: JSONValue, base: WebhookSettings?) throws(FieldError) -> WebhookSettings {
        let fields = try ObjectReader(body, fields: Self.fields, subject: "a notification channel")
        let current = base.flatMap(ChannelKind.init)
        let kind = try fields.required("kind", current) { (value) throws(FieldError) in
            guard let text = value.stringValue, let kind = ChannelKind(rawValue: text) else {
                throw FieldError("kind", "must be one of \(ChannelKind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return kind
        }
        if let current, current != kind {
            throw FieldError("kind", "a \(current.rawValue) channel stays one; create a \(kind.rawValue) channel instead", kind: .unusable)
        }
        let name = try fields.required("name", base?.name) { (value) throws(FieldError) in try DisplayName.read(value) }
        let events = try fields.required("events", base?.triggers ?? EventKind.alerts) { (value) throws(FieldError) in
            try WebhookSettings.readTriggers(value, field: "events", among: EventKind.alerts)
        }
        let enabled = try fields.required("enabled", base?.enabled ?? true) { (value) throws(FieldError) in try WebhookSettings.readFlag(value, "enabled") }
        let url: String
        var options = JSONObject()
        switch kind {
        case .json, .slack:
            for key in ["bot_token", "chat_id", "api_url"] where fields.object[key] != nil {
                throw FieldError(key, "is for telegram channels; a \(kind.rawValue) channel takes url", kind: .unusable)
            }
            url = try fields.required("url", base?.url) { (value) throws(FieldError) in try WebhookSettings.readURL(value) }
        case .telegram:
            if fields.object["url"] != nil { throw FieldError("url", "a telegram channel takes bot_token and chat_id (and api_url for a Bot API server of your own)", kind: .unusable) }
            let chat = try fields.required("chat_id", base?.template.presetChoice?.optionValues["chat_id"]?.stringValue) { (value) throws(FieldError) in
                try Self.chatID(value)
            }
            options["chat_id"] = .string(chat)
            url = try Self.telegramURL(fields, base: base)
        }
        return WebhookSettings(
            name: name, url: url, template: .preset(PresetChoice(name: kind.preset.name, options: options)), triggers: events, enabled: enabled)
    }

    /// A chat's id (`-1001234567890`) or a public channel's `@name`.
    static func chatID(_ value: JSONValue) throws(FieldError) -> String {
        let text = value.stringValue ?? ""
        let digits = text.first == "-" ? text.dropFirst() : Substring(text)
        let isID = !digits.isEmpty && digits.allSatisfy { $0.isASCII && $0.isNumber }
        let isName = text.first == "@" && text.count > 1 && text.dropFirst().allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
        guard text.count <= 64, isID || isName else {
            throw FieldError("chat_id", "must be a string: a chat's numeric id (\"-1001234567890\") or a public channel's @name")
        }
        return text
    }

    /// The bot's sendMessage address, from `bot_token` and `api_url` or what the channel has.
    static func telegramURL(_ fields: ObjectReader, base: WebhookSettings?) throws(FieldError) -> String {
        let (currentAPI, currentToken) = base.map { Self.telegramParts($0.url) } ?? (nil, nil)
        let api: String = try fields.required("api_url", currentAPI ?? ChannelKind.telegramAPI) { (value) throws(FieldError) -> String in
            do throws(FieldError) {
                return try WebhookSettings.readURL(value)
            } catch {
                throw FieldError("api_url", error.message, kind: error.kind)
            }
        }
        let token = try fields.required("bot_token", currentToken) { (value) throws(FieldError) in
            guard let text = value.stringValue, (1...100).contains(text.count),
                text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == ":" || $0 == "_" || $0 == "-") })
            else { throw FieldError("bot_token", "must be the token @BotFather gave (digits, a colon, letters, digits, _ and -)") }
            return text
        }
        return ChannelKind.telegramURL(api: api, botToken: token)
    }

    /// The Bot API's address and the bot's token, from a telegram channel's URL.
    static func telegramParts(_ url: String) -> (api: String?, token: String?) {
        guard let bot = url.range(of: "/bot", options: .backwards), url.hasSuffix("/sendMessage") else { return (nil, nil) }
        return (String(url[..<bot.lowerBound]), String(url[bot.upperBound..<url.index(url.endIndex, offsetBy: -"/sendMessage".count)]))
    }
}
