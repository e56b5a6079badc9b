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
        let rate: JSONValue = failureRate.map { rate in
            ["percent": .integer(Int64(rate.percent)), "minutes": .integer(Int64(rate.minutes)), "min_attempts": .integer(Int64(rate.minimumAttempts))]
        } ?? .null
        return [
            "failures": .integer(Int64(failures)), "digest_minutes": .integer(Int64(digestMinutes)),
            "reminder_days": .array(reminderDays.map { .integer(Int64($0)) }), "failure_rate": rate,
        ]
    }

    /// `alerts` as the API and the Notifications page take it; what is left out stays as it was.
    static func read(_ value: JSONValue, base: AlertPolicy) throws(FieldError) -> AlertPolicy {
        let fields = try ObjectReader(value, at: "alerts", fields: ["failures", "digest_minutes", "reminder_days", "failure_rate"], subject: "an account's alert rules")
        let current: FailureRate?? = .some(base.failureRate)
        let rate = try fields.required("failure_rate", current) { (value) throws(FieldError) in
            try Self.readRate(value)
        }
        let policy = AlertPolicy(
            failures: try Self.whole(fields, "failures", base.failures), digestMinutes: try Self.whole(fields, "digest_minutes", base.digestMinutes),
            reminderDays: try Self.readDays(fields, base: base.reminderDays), failureRate: rate)
        if let problem = policy.problem { throw FieldError(fields.field(problem.field), problem.message) }
        return policy
    }

    /// `{"percent": P, "minutes": M, "min_attempts": N}` as a whole (15 minutes and 10 attempts
    /// unless given), or null for none.
    static func readRate(_ value: JSONValue) throws(FieldError) -> FailureRate? {
        if value.isNull { return nil }
        let fields = try ObjectReader(value, at: "alerts.failure_rate", fields: ["percent", "minutes", "min_attempts"], subject: "a failure rate")
        return FailureRate(
            percent: try whole(fields, "percent", nil), minutes: try whole(fields, "minutes", 15), minimumAttempts: try whole(fields, "min_attempts", 10))
    }

    static func whole(_ fields: ObjectReader, _ key: String, _ current: Int?) throws(FieldError) -> Int {
        try fields.required(key, current) { (value) throws(FieldError) in
            guard let number = value.integerValue, let int = Int(exactly: number) else { throw FieldError(fields.field(key), "must be a whole number") }
            return int
        }
    }

    static func readDays(_ fields: ObjectReader, base: [Int]) throws(FieldError) -> [Int] {
        try fields.required("reminder_days", base) { (value) throws(FieldError) in
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
    }
}
