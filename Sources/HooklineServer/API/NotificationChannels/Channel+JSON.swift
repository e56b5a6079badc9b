import HooklineCore

extension Webhook {
    /// A notification channel as the API shows it: never its bot token nor its secret.
    var channelJSON: JSONObject {
        let kind = ChannelKind(settings) ?? .json
        var object: JSONObject = ["id": .string(id), "kind": .string(kind.rawValue), "name": .string(settings.name)]
        switch kind {
        case .json, .slack: object["url"] = .string(settings.url)
        case .telegram:
            object["chat_id"] = settings.template.presetChoice?.optionValues["chat_id"] ?? .null
            object["api_url"] = JSONValue(ChannelInput.telegramParts(settings.url).api)
        }
        object["events"] = .array(settings.triggers.map { .string($0.rawValue) })
        object["enabled"] = .bool(settings.enabled)
        object["disabled_reason"] = JSONValue(disabledReason)
        object["health"] = json["health"]
        object["created_at"] = createdAt.json
        object["updated_at"] = updatedAt.json
        return object
    }

    /// Only at creation and rotation: the signing secret, once.
    var channelJSONRevealingSecret: JSONObject {
        var object = channelJSON
        object["secret"] = .string(secrets.current)
        return object
    }
}

extension AlertPolicy {
    var json: JSONObject {
        ["failures": .integer(Int64(failures)), "digest_minutes": .integer(Int64(digestMinutes)), "reminder_days": .array(reminderDays.map { .integer(Int64($0)) })]
    }

    /// `alerts` as the API and the Notifications page take it; what is left out stays as it was.
    static func read(_ value: JSONValue, base: AlertPolicy) throws(FieldError) -> AlertPolicy {
        let fields = try ObjectReader(value, at: "alerts", fields: ["failures", "digest_minutes", "reminder_days"], subject: "an account's alert rules")
        func whole(_ key: String, _ current: Int) throws(FieldError) -> Int {
            try fields.required(key, current) { (value) throws(FieldError) in
                guard let number = value.integerValue, let int = Int(exactly: number) else { throw FieldError(fields.field(key), "must be a whole number") }
                return int
            }
        }
        let days = try fields.required("reminder_days", base.reminderDays) { (value) throws(FieldError) in
            guard let array = value.arrayValue, array.count <= AlertPolicy.mostReminders * 4 else {
                throw FieldError(fields.field("reminder_days"), "must be an array of at most \(AlertPolicy.mostReminders) whole numbers of days")
            }
            var days: [Int] = []
            for (index, element) in array.enumerated() {
                guard let day = element.integerValue, let int = Int(exactly: day) else {
                    throw FieldError(fields.field("reminder_days[\(index)]"), "must be a whole number of days")
                }
                days.append(int)
            }
            return days.sorted()
        }
        let policy = AlertPolicy(failures: try whole("failures", base.failures), digestMinutes: try whole("digest_minutes", base.digestMinutes), reminderDays: days)
        if let problem = policy.problem { throw FieldError(fields.field(problem.field), problem.message) }
        return policy
    }
}
