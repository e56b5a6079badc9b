import HooklineCore
import HooklineDelivery
import HooklineStore
import Hummingbird

/// Where alerts go (`/notifications`): the account's channels with "send test", a form to add one
/// and the alert rules, each read as the API reads them, mistakes beside their fields.
struct NotificationPages {
    let channels: NotificationChannels
    let pages: Pages

    var store: any Store { channels.store }

    func addRoutes(to group: RouterGroup<HooklineRequestContext>) {
        group.get("notifications", use: list)
        group.post("notifications", use: create)
        group.post("notifications/rules", use: rules)
        group.post("notifications/{id}/test", use: test)
        group.post("notifications/{id}/delete", use: delete)
    }

    @Sendable func list(request: Request, context: HooklineRequestContext) async throws -> Response {
        try await page(context: context)
    }

    @Sendable func create(request: Request, context: HooklineRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let form = try await FormFields.of(request, context: context)
        var body: JSONObject = ["kind": .string(form["kind"] ?? ""), "name": .string(form["name"] ?? ""), "events": .array(form.all("events").map(JSONValue.string))]
        for field in ["url", "bot_token", "chat_id", "api_url"] {
            if let value = form[field], !value.isEmpty { body[field] = .string(value) }
        }
        do {
            _ = try await channels.create(try ChannelInput.settings(.object(body), base: nil), accountID: account.id)
        } catch let error as FieldError {
            return try await page(context: context, form: form, errors: [Self.formField(error.field): error.message], status: .unprocessableContent)
        }
        return Pages.redirect(to: "/notifications")
    }

    @Sendable func rules(request: Request, context: HooklineRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let form = try await FormFields.of(request, context: context)
        func number(_ text: String) -> JSONValue { Int64(text.trimmingCharacters(in: .whitespaces)).map(JSONValue.integer) ?? .string(text) }
        let days = (form["reminder_days"] ?? "").split(whereSeparator: { $0 == "," || $0 == " " }).map { number(String($0)) }
        let percent = (form["rate_percent"] ?? "").trimmingCharacters(in: .whitespaces)
        let rate: JSONValue =
            percent.isEmpty
            ? .null
            : ["percent": number(percent), "minutes": number(form["rate_minutes"] ?? ""), "min_attempts": number(form["rate_min_attempts"] ?? "")]
        let given: JSONValue = [
            "failures": number(form["failures"] ?? ""), "digest_minutes": number(form["digest_minutes"] ?? ""), "reminder_days": .array(days),
            "failure_rate": rate,
        ]
        do {
            try await store.setAlertPolicy(try AlertPolicy.read(given, base: try await store.alertPolicy(accountID: account.id)), accountID: account.id)
        } catch let error as FieldError {
            return try await page(context: context, rules: form, errors: [Self.formField(error.field): error.message], status: .unprocessableContent)
        }
        return Pages.redirect(to: "/notifications")
    }

    @Sendable func test(request: Request, context: HooklineRequestContext) async throws -> Response {
        let channel = try await find(context)
        let attempt = await channels.sendTest(channel).attempt
        let answer = attempt.response.map { "HTTP \($0.status)" } ?? attempt.errorMessage ?? "no answer"
        let flash = attempt.succeeded
            ? "Test sent to \(channel.settings.name): the receiver answered \(answer)."
            : "The test to \(channel.settings.name) failed: \(answer)."
        return try await page(context: context, flash: flash)
    }

    @Sendable func delete(request: Request, context: HooklineRequestContext) async throws -> Response {
        let channel = try await find(context)
        _ = try await store.deleteWebhook(id: channel.id, accountID: channel.accountID)
        return Pages.redirect(to: "/notifications")
    }

    /// An error's field as the page's inputs are named: `alerts.reminder_days[1]` → `reminder_days`,
    /// `alerts.failure_rate.min_attempts` → `rate_min_attempts`.
    static func formField(_ field: String) -> String {
        var name = field.hasPrefix("alerts.") ? String(field.dropFirst("alerts.".count)) : field
        if name.hasPrefix("failure_rate.") { name = "rate_" + name.dropFirst("failure_rate.".count) }
        return name.firstIndex(of: "[").map { String(name[..<$0]) } ?? name
    }

    private func find(_ context: HooklineRequestContext) async throws -> Webhook {
        let (account, id) = try context.requireAccountAndID()
        return try await channels.find(id: id, accountID: account.id)
    }

    private func page(
        context: HooklineRequestContext, form: FormFields? = nil, rules: FormFields? = nil, errors: FormErrors = [:], status: HTTPResponse.Status = .ok,
        flash: String? = nil
    ) async throws -> Response {
        let account = try context.requireAccount()
        let rows = try await channels.list(accountID: account.id).compactMap { webhook in
            ChannelKind(webhook.settings).map { kind in
                NotificationsView.Row(
                    id: webhook.id, name: webhook.settings.name, kind: kind.rawValue,
                    target: kind == .telegram ? "chat " + (webhook.settings.template.presetChoice?.optionValues["chat_id"]?.stringValue ?? "") : webhook.settings.url,
                    events: webhook.settings.triggers.map(\.rawValue).joined(separator: ", "),
                    health: webhook.health.state == .failing ? "failing: \(webhook.health.lastError ?? "")" : "healthy", enabled: webhook.settings.enabled)
            }
        }
        let policy = try await store.alertPolicy(accountID: account.id)
        let shownRules = rules.map(NotificationsView.Rules.init)
        let view = NotificationsView(
            channels: rows, hasChannels: !rows.isEmpty, form: NotificationsView.Entered(form), rules: shownRules ?? NotificationsView.Rules(policy),
            errors: errors, publicURL: channels.sender.configuration.alertLinks.base)
        return pages.render(.notifications, title: "Notifications", context: context, status: status, flash: flash, view)
    }
}
