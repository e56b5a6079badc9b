/// What the account's channels are told of one webhook at a sweep, from what it is now and what
/// they were last told (`AlertMark`): each change once (failing, recovered, disabled by Hookline),
/// a reminder on each of the policy's days while it stays down, and its dead deliveries summed up
/// at most once per period. A webhook a person disabled is nobody's alarm: it goes quiet silently.
public struct AlertSweep: Sendable, Hashable {
    public var alerts: [Alert]
    /// What to keep for the next sweep; written with the alerts, in one transaction.
    public var mark: AlertMark

    enum Condition { case fine, failing, disabled, off }

    /// - Parameters:
    ///   - deadCount: deliveries of the webhook that ever died (a count that only grows).
    ///   - rate: its attempts over the policy's failure-rate window, when the policy has one.
    public init(_ webhook: Webhook, deadCount: Int, mark: AlertMark, policy: AlertPolicy, rate: AttemptRate? = nil, links: AlertLinks, now: Timestamp) {
        var mark = mark
        var kinds: [(EventKind, reminderDays: Int)] = []
        let condition = Self.condition(of: webhook, policy: policy, rate: rate, told: mark.told)
        switch (mark.told, condition) {
        case (.quiet, .failing), (.quiet, .disabled):
            mark.downSince = webhook.health.failingSince ?? now
            // An outage older than the first alert (no channel until now) skips reminders passed.
            mark.reminders = Self.remindersPassed(since: mark.downSince!, policy: policy, now: now)
            mark.told = condition == .failing ? .failing : .disabled
            kinds.append((condition == .failing ? .webhookFailing : .webhookDisabled, 0))
        case (.failing, .disabled):
            mark.told = .disabled
            kinds.append((.webhookDisabled, 0))
        case (.disabled, .failing):
            // Enabled again by a person, who knows; told when it recovers.
            mark.told = .failing
        case (.failing, .fine) where webhook.health.consecutiveFailures > 0, (.disabled, .fine) where webhook.health.consecutiveFailures > 0:
            // Enabled again, or the rules changed, without a success yet: recovered when one comes.
            mark.told = .failing
        case (.failing, .fine), (.disabled, .fine):
            mark = AlertMark(told: .quiet, downSince: nil, reminders: 0, deadTold: mark.deadTold, digestAt: mark.digestAt)
            kinds.append((.webhookRecovered, 0))
        case (.failing, .off), (.disabled, .off):
            mark = AlertMark(told: .quiet, downSince: nil, reminders: 0, deadTold: mark.deadTold, digestAt: mark.digestAt)
        case (.failing, .failing), (.disabled, .disabled):
            let passed = Self.remindersPassed(since: mark.downSince ?? now, policy: policy, now: now)
            if passed > mark.reminders {
                mark.reminders = passed
                kinds.append((mark.told == .failing ? .webhookFailing : .webhookDisabled, policy.reminderDays[passed - 1]))
            }
        case (.quiet, .fine), (.quiet, .off): break
        }
        if deadCount < mark.deadTold { mark.deadTold = deadCount }
        var deadAlert: Int?
        if deadCount > mark.deadTold, mark.digestAt.map({ now >= $0.adding(seconds: Double(policy.digestMinutes) * 60) }) ?? true {
            deadAlert = deadCount - mark.deadTold
            mark.deadTold = deadCount
            mark.digestAt = now
        }
        let values = Self.values(of: webhook, links: links, now: now)
        // Said when the rate, not the streak, makes it failing.
        let byRate = webhook.health.consecutiveFailures >= policy.failures ? nil : rate
        var alerts = kinds.map { kind, days in
            Alert(kind: kind, webhookID: webhook.id, values: Self.text(kind, webhook: webhook, values: values, reminderDays: days, rate: byRate, links: links))
        }
        if let deadAlert {
            var dead = values
            dead["dead_count"] = .integer(Int64(deadAlert))
            alerts.append(Alert(kind: .deliveryDead, webhookID: webhook.id, values: Self.text(.deliveryDead, webhook: webhook, values: dead, reminderDays: 0, rate: nil, links: links)))
        }
        self.alerts = alerts
        self.mark = mark
    }

    static func condition(of webhook: Webhook, policy: AlertPolicy, rate: AttemptRate?, told: AlertMark.Told) -> Condition {
        guard webhook.settings.enabled else { return webhook.disabledReason == nil ? .off : .disabled }
        if webhook.health.consecutiveFailures >= policy.failures { return .failing }
        guard let rule = policy.failureRate, let rate else { return .fine }
        return rule.exceeded(by: rate, recovering: told != .quiet) ? .failing : .fine
    }

    /// How many of the policy's reminder days have passed since the webhook went down.
    static func remindersPassed(since: Timestamp, policy: AlertPolicy, now: Timestamp) -> Int {
        policy.reminderDays.prefix { now >= since.adding(seconds: Double($0) * 86_400) }.count
    }

    /// What every alert of the webhook says of it.
    static func values(of webhook: Webhook, links: AlertLinks, now: Timestamp) -> JSONObject {
        var values: JSONObject = [
            "alert_time": .string(now.iso8601), "webhook_id": .string(webhook.id), "webhook_name": .string(webhook.settings.name),
            "webhook_url": .string(webhook.settings.url), "failure_count": .integer(Int64(webhook.health.consecutiveFailures)),
            "alert_test": false,
        ]
        if let since = webhook.health.failingSince { values["failing_since"] = .string(since.iso8601) }
        if let error = webhook.health.lastError { values["last_error"] = .string(error) }
        if let reason = webhook.disabledReason { values["disabled_reason"] = .string(reason) }
        return values
    }

    /// The alert's type, link and sentence for people.
    static func text(_ kind: EventKind, webhook: Webhook, values: JSONObject, reminderDays: Int, rate: AttemptRate?, links: AlertLinks) -> JSONObject {
        var values = values
        let name = "Webhook \"\(webhook.settings.name)\""
        let error = webhook.health.lastError.map { " Last error: \($0)." } ?? ""
        let url = kind == .deliveryDead ? links.deadDeliveries(of: webhook.id) : links.webhook(webhook.id)
        let still = reminderDays > 0 ? "still " : ""
        let sentence: String
        switch kind {
        case .webhookFailing:
            let days = reminderDays > 0 ? " after \(reminderDays) day\(reminderDays == 1 ? "" : "s")" : ""
            let streak = webhook.health.consecutiveFailures
            let measure = rate.map { "\($0.failed) of its last \($0.attempts) attempts failed" } ?? "\(streak) attempts in a row failed"
            sentence = "\(name) is \(still)failing\(days): \(measure).\(error)"
        case .webhookDisabled:
            let days = reminderDays > 0 ? " for \(reminderDays) day\(reminderDays == 1 ? "" : "s")" : ""
            sentence = "\(name) is \(still)disabled\(days): \(webhook.disabledReason ?? "disabled by Hookline"). Its deliveries wait until it is enabled again."
        case .webhookRecovered:
            sentence = "\(name) recovered: its receiver accepts deliveries again."
        case .deliveryDead:
            let count = values["dead_count"]?.integerValue ?? 0
            sentence = "\(name): \(count) deliver\(count == 1 ? "y" : "ies") died after the last retry.\(error) Replay them from the log."
        default:
            sentence = "\(name): \(kind.rawValue)."
        }
        values["alert_type"] = .string(kind.rawValue)
        values["alert_url"] = .string(url)
        values["alert_text"] = .string(sentence + " " + url)
        values["reminder_days"] = .integer(Int64(reminderDays))
        return values
    }
}
