import HooklineCore

/// The Notifications page: the account's channels, the form that adds one, and the alert rules.
struct NotificationsView {
    struct Row {
        let id: String
        let name: String
        let kind: String
        /// Where it goes: the URL, or the Telegram chat.
        let target: String
        let events: String
        let health: String
        let enabled: Bool
    }

    struct KindOption {
        let value: String
        let label: String
        let selected: Bool
    }

    struct Entered {
        let name: String
        let url: String
        let chatID: String
        let apiURL: String
        let kinds: [KindOption]
        let events: [Check]
    }

    struct Rules {
        let failures: String
        let digestMinutes: String
        let reminderDays: String
        /// Empty: no failure rate is watched.
        let ratePercent: String
        let rateMinutes: String
        let rateMinimum: String
    }

    let channels: [Row]
    let hasChannels: Bool
    let form: Entered
    let rules: Rules
    let errors: FormErrors
    let publicURL: String
}

extension NotificationsView.Entered {
    static let kindLabels: [(ChannelKind, String)] = [
        (.slack, "Slack: an incoming webhook's URL"), (.telegram, "Telegram: a bot and a chat"), (.json, "JSON: any receiver, signed with Standard Webhooks"),
    ]

    init(_ form: FormFields?) {
        let kind = form?["kind"] ?? ChannelKind.slack.rawValue
        let chosen = form.map { $0.all("events") } ?? EventKind.alerts.map(\.rawValue)
        self.init(
            name: form?["name"] ?? "", url: form?["url"] ?? "", chatID: form?["chat_id"] ?? "", apiURL: form?["api_url"] ?? "",
            kinds: Self.kindLabels.map { NotificationsView.KindOption(value: $0.0.rawValue, label: $0.1, selected: $0.0.rawValue == kind) },
            events: EventKind.alerts.map { Check(value: $0.rawValue, checked: chosen.contains($0.rawValue)) })
    }
}

extension NotificationsView.Rules {
    init(_ policy: AlertPolicy) {
        self.init(
            failures: String(policy.failures), digestMinutes: String(policy.digestMinutes),
            reminderDays: policy.reminderDays.map(String.init).joined(separator: ", "), ratePercent: policy.failureRate.map { String($0.percent) } ?? "",
            rateMinutes: String(policy.failureRate?.minutes ?? 15), rateMinimum: String(policy.failureRate?.minimumAttempts ?? 10))
    }

    /// What the form's fields said, shown again beside its mistakes.
    init(_ form: FormFields) {
        self.init(
            failures: form["failures"] ?? "", digestMinutes: form["digest_minutes"] ?? "", reminderDays: form["reminder_days"] ?? "",
            ratePercent: form["rate_percent"] ?? "", rateMinutes: form["rate_minutes"] ?? "", rateMinimum: form["rate_min_attempts"] ?? "")
    }
}
