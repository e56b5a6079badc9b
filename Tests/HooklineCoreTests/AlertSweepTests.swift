import HooklineCore
import Testing

/// What a team on call is told of one webhook across an outage: failing once, reminded on the
/// policy's days, disabled, recovered; dead deliveries summed up at most once per period; nothing
/// for a webhook a person turned off, and nothing twice.
@Suite struct AlertSweepTests {
    typealias Q = QueueRulesTests
    static let links = AlertLinks(base: "https://hookline.example/")
    static let policy = AlertPolicy.standard

    static func failing(_ failures: Int, since: Timestamp = Q.t0) -> Webhook {
        Q.webhook(EndpointHealth(state: failures >= 5 ? .failing : .healthy, consecutiveFailures: failures, failingSince: failures >= 5 ? since : nil, lastError: "HTTP 500"))
    }

    static func sweep(_ webhook: Webhook, dead: Int = 0, mark: AlertMark, at seconds: Double, policy: AlertPolicy = policy, rate: AttemptRate? = nil) -> AlertSweep {
        AlertSweep(webhook, deadCount: dead, mark: mark, policy: policy, rate: rate, links: links, now: Q.t0.adding(seconds: seconds))
    }

    @Test func aFailureRateOverItsWindowIsFailingUntilItFallsToHalf() {
        let policy = AlertPolicy(failures: 5, digestMinutes: 60, reminderDays: [], failureRate: .init(percent: 50, minutes: 15, minimumAttempts: 10))
        let flaky = Self.failing(1)
        #expect(Self.sweep(flaky, mark: .quiet, at: 0, policy: policy, rate: AttemptRate(attempts: 9, failed: 9)).alerts.isEmpty, "fewer than the minimum")
        #expect(Self.sweep(flaky, mark: .quiet, at: 0, policy: policy, rate: AttemptRate(attempts: 20, failed: 9)).alerts.isEmpty, "45 % is under 50 %")
        let told = Self.sweep(flaky, mark: .quiet, at: 0, policy: policy, rate: AttemptRate(attempts: 20, failed: 10))
        #expect(told.alerts.map(\.kind) == [.webhookFailing])
        #expect(told.alerts.first?.values["alert_text"]?.stringValue?.contains("is failing: 10 of its last 20 attempts failed.") == true)
        let healthy = Q.webhook(.healthy)
        #expect(Self.sweep(healthy, mark: told.mark, at: 60, policy: policy, rate: AttemptRate(attempts: 20, failed: 6)).alerts.isEmpty, "30 %: not yet back")
        #expect(Self.sweep(healthy, mark: told.mark, at: 60, policy: policy, rate: AttemptRate(attempts: 20, failed: 4)).alerts.map(\.kind) == [.webhookRecovered])
        #expect(AlertPolicy(failures: 5, digestMinutes: 5, reminderDays: [], failureRate: .init(percent: 0, minutes: 15, minimumAttempts: 1)).problem?.field == "failure_rate.percent")
    }

    @Test func anOutageIsToldOnceRemindedOnItsDaysAndItsRecoveryOnce() {
        var mark = AlertMark.quiet
        #expect(Self.sweep(Self.failing(4), mark: mark, at: 0).alerts.isEmpty, "four failures are below the policy's five")
        let first = Self.sweep(Self.failing(5), mark: mark, at: 10)
        #expect(first.alerts.map(\.kind) == [.webhookFailing])
        let values = first.alerts[0].values
        #expect(values["alert_type"] == "webhook.failing")
        #expect(values["webhook_id"] == .string(Q.webhook(.healthy).id))
        #expect(values["failure_count"] == 5)
        #expect(values["last_error"] == "HTTP 500")
        #expect(values["reminder_days"] == 0)
        #expect(values["alert_url"] == .string("https://hookline.example/webhooks/" + Q.webhook(.healthy).id))
        #expect(values["alert_text"]?.stringValue?.contains("is failing: 5 attempts in a row failed. Last error: HTTP 500.") == true)
        #expect(values["alert_text"]?.stringValue?.hasSuffix("https://hookline.example/webhooks/" + Q.webhook(.healthy).id) == true)
        mark = first.mark
        #expect(mark.told == .failing && mark.downSince == Q.t0)
        #expect(Self.sweep(Self.failing(9), mark: mark, at: 20).alerts.isEmpty, "told once")
        #expect(Self.sweep(Self.failing(30), mark: mark, at: 86_399).alerts.isEmpty, "not a day yet")
        let reminder = Self.sweep(Self.failing(40), mark: mark, at: 86_400)
        #expect(reminder.alerts.map(\.kind) == [.webhookFailing])
        #expect(reminder.alerts[0].values["reminder_days"] == 1)
        #expect(reminder.alerts[0].values["alert_text"]?.stringValue?.contains("is still failing after 1 day") == true)
        mark = reminder.mark
        #expect(Self.sweep(Self.failing(41), mark: mark, at: 86_500).alerts.isEmpty, "one reminder per day of the policy")
        let recovered = Self.sweep(Q.webhook(.healthy), mark: mark, at: 90_000)
        #expect(recovered.alerts.map(\.kind) == [.webhookRecovered])
        #expect(recovered.mark.told == .quiet && recovered.mark.reminders == 0 && recovered.mark.downSince == nil)
        #expect(Self.sweep(Q.webhook(.healthy), mark: recovered.mark, at: 90_001).alerts.isEmpty)
    }

    @Test func disabledByHooklineIsToldAndRemindedButAPersonsSwitchIsQuiet() {
        let failing = Self.sweep(Self.failing(6), mark: .quiet, at: 0)
        let off = Self.failing(80).disabled(reason: AutoDisable.standard.reason)
        let disabled = Self.sweep(off, mark: failing.mark, at: 5 * 86_400)
        // The day-1 reminder passed without a sweep in between: only the disable is told, and the
        // reminders count on from there.
        #expect(disabled.alerts.map(\.kind) == [.webhookDisabled])
        #expect(disabled.alerts[0].values["disabled_reason"] == "failing without a success for 5 days")
        #expect(disabled.alerts[0].values["alert_text"]?.stringValue?.contains("Its deliveries wait until it is enabled again.") == true)
        let reminded = Self.sweep(off, mark: disabled.mark, at: 7 * 86_400)
        #expect(reminded.alerts.map(\.kind) == [.webhookDisabled])
        #expect(reminded.alerts[0].values["reminder_days"] == 7)
        // Enabled again by a person while still failing: nothing until it recovers.
        let enabled = Self.sweep(Self.failing(80), mark: reminded.mark, at: 7 * 86_400 + 10)
        #expect(enabled.alerts.isEmpty && enabled.mark.told == .failing)
        #expect(Self.sweep(Q.webhook(.healthy), mark: enabled.mark, at: 8 * 86_400).alerts.map(\.kind) == [.webhookRecovered])
        // Re-enabled after a 410 (one failure, under the policy's five): recovered only once an
        // attempt succeeds.
        let gone = Self.sweep(Self.failing(1).disabled(reason: AttemptTransition.goneReason), mark: .quiet, at: 0)
        #expect(gone.alerts.map(\.kind) == [.webhookDisabled])
        let reenabled = Self.sweep(Self.failing(1), mark: gone.mark, at: 60)
        #expect(reenabled.alerts.isEmpty && reenabled.mark.told == .failing, "not recovered before a success")
        #expect(Self.sweep(Q.webhook(.healthy), mark: reenabled.mark, at: 120).alerts.map(\.kind) == [.webhookRecovered])
        var byPerson = Self.failing(80)
        byPerson.settings.enabled = false
        let quiet = Self.sweep(byPerson, mark: failing.mark, at: 100)
        #expect(quiet.alerts.isEmpty && quiet.mark.told == .quiet, "a person who turned it off is not alarmed")
        #expect(Self.sweep(byPerson, mark: .quiet, at: 200).alerts.isEmpty)
    }

    @Test func anOutageFoundLateSkipsTheRemindersAlreadyPassed() {
        let late = Self.sweep(Self.failing(500), mark: .quiet, at: 8 * 86_400)
        #expect(late.alerts.map(\.kind) == [.webhookFailing])
        #expect(late.alerts[0].values["reminder_days"] == 0 && late.mark.reminders == 2)
        #expect(Self.sweep(Self.failing(501), mark: late.mark, at: 9 * 86_400).alerts.isEmpty)
        #expect(Self.sweep(Self.failing(502), mark: late.mark, at: 14 * 86_400).alerts.first?.values["reminder_days"] == 14)
    }

    @Test func deadDeliveriesAreDigestedOncePerPeriod() {
        let healthy = Q.webhook(.healthy)
        let first = Self.sweep(healthy, dead: 3, mark: .quiet, at: 0)
        #expect(first.alerts.map(\.kind) == [.deliveryDead])
        #expect(first.alerts[0].values["dead_count"] == 3)
        #expect(first.alerts[0].values["alert_url"] == .string("https://hookline.example/deliveries?webhook_id=\(healthy.id)&status=dead"))
        #expect(first.alerts[0].values["alert_text"]?.stringValue?.contains("3 deliveries died after the last retry.") == true)
        #expect(Self.sweep(healthy, dead: 3, mark: first.mark, at: 7_200).alerts.isEmpty, "nothing new")
        let held = Self.sweep(healthy, dead: 10, mark: first.mark, at: 3_599)
        #expect(held.alerts.isEmpty && held.mark == first.mark, "within the hour the new ones wait")
        let second = Self.sweep(healthy, dead: 10, mark: held.mark, at: 3_600)
        #expect(second.alerts.first?.values["dead_count"] == 7)
        #expect(second.mark.deadTold == 10 && second.mark.digestAt == Q.t0.adding(seconds: 3_600))
        let both = Self.sweep(Self.failing(5), dead: 11, mark: second.mark, at: 7_200)
        #expect(both.alerts.map(\.kind) == [.webhookFailing, .deliveryDead])
        #expect(Self.sweep(healthy, dead: 1, mark: .quiet, at: 0).alerts[0].values["alert_text"]?.stringValue?.contains("1 delivery died") == true)
    }

    @Test func thePolicyIsCheckedFieldByField() {
        #expect(AlertPolicy.standard.problem == nil)
        #expect(AlertPolicy(failures: 0, digestMinutes: 60, reminderDays: []).problem?.field == "failures")
        #expect(AlertPolicy(failures: 3, digestMinutes: 0, reminderDays: []).problem?.field == "digest_minutes")
        #expect(AlertPolicy(failures: 3, digestMinutes: 5, reminderDays: [7, 1]).problem?.field == "reminder_days[1]")
        #expect(AlertPolicy(failures: 3, digestMinutes: 5, reminderDays: [400]).problem?.field == "reminder_days[0]")
        #expect(AlertPolicy(failures: 3, digestMinutes: 5, reminderDays: Array(1...11)).problem?.field == "reminder_days")
        let early = AlertPolicy(failures: 2, digestMinutes: 5, reminderDays: [])
        #expect(Self.sweep(Self.failing(2), mark: .quiet, at: 0, policy: early).alerts.map(\.kind) == [.webhookFailing], "the account's own threshold")
        #expect(Self.sweep(Self.failing(2), mark: Self.sweep(Self.failing(2), mark: .quiet, at: 0, policy: early).mark, at: 30 * 86_400, policy: early).alerts.isEmpty, "no reminder days: none")
    }

    @Test func channelPresetsRenderEachKindOfChannel() throws {
        let alert = Self.sweep(Self.failing(5), mark: .quiet, at: 0).alerts[0]
        func render(_ kind: ChannelKind, options: JSONObject = [:]) throws -> JSONValue? {
            let values = kind.preset.values(for: alert.kind, event: alert.values, options: options)
            let bytes = try kind.preset.template(for: alert.kind, options: options).compile(catalogue: kind.preset.catalogue).render(values)
            return try JSONParser.parse(bytes)
        }
        let json = try render(.json)?.objectValue
        #expect(json?["type"] == "webhook.failing")
        #expect(json?["data"]?.objectValue?["failure_count"] == 5)
        #expect(json?["data"]?.objectValue?["dead_count"] == .null)
        #expect(try render(.slack)?.objectValue?["text"] == alert.values["alert_text"])
        let telegram = try render(.telegram, options: ["chat_id": "-100123"])?.objectValue
        #expect(telegram?["chat_id"] == "-100123" && telegram?["text"] == alert.values["alert_text"])
        #expect(ChannelKind.telegramURL(api: "https://api.telegram.org/", botToken: "1:abc") == "https://api.telegram.org/bot1:abc/sendMessage")
        #expect(Redaction.redacted(url: "https://api.telegram.org/bot1:abc/sendMessage") == "https://api.telegram.org/bot[redacted]/sendMessage")
        #expect(Redaction.redacted(url: "https://shop.example/bottles/1:2") == "https://shop.example/bottles/1:2", "only a bot's token")
        var settings = Q.webhook(.healthy).settings
        #expect(ChannelKind(settings) == nil)
        settings.template = .preset(PresetChoice(name: "alerts.slack", options: [:]))
        #expect(ChannelKind(settings) == .slack)
        #expect(Preset.named("alerts.slack") == nil, "not offered to ordinary webhooks")
    }
}
