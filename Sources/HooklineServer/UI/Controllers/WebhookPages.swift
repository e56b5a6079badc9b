import HooklineCore
import HooklineDelivery
import HooklineStore
import Hummingbird

/// The account's webhooks, and one webhook's page: health, enable or disable, secret rotation,
/// its template and its latest deliveries.
struct WebhookPages {
    let store: any Store
    let wakeup: Wakeup
    let sender: HTTPSender
    let pages: Pages

    func addRoutes(to group: RouterGroup<HooklineRequestContext>) {
        group.get("webhooks", use: list)
        group.post("webhooks/auto-disable", use: setAutoDisable)
        group.get("webhooks/{id}", use: show)
        group.post("webhooks/{id}/enabled", use: setEnabled)
        group.post("webhooks/{id}/rotate-secret", use: rotateSecret)
        group.post("webhooks/{id}/test", use: test)
    }

    @Sendable func list(request: Request, context: HooklineRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let rule = try await store.autoDisable(accountID: account.id)
        return try await listPage(context: context, autoDisable: (String(rule.days), nil))
    }

    /// The account's rule for webhooks that stay down, from the form under the list, read as the
    /// API reads it.
    @Sendable func setAutoDisable(request: Request, context: HooklineRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let entered = try await FormFields.of(request, context: context)["auto_disable_days"]?.trimmingCharacters(in: .whitespaces) ?? ""
        do {
            let rule = try AutoDisable.read(Int64(entered).map(JSONValue.integer) ?? .string(entered))
            try await store.setAutoDisable(rule, accountID: account.id)
        } catch let error as FieldError {
            return try await listPage(context: context, autoDisable: (entered, error.message), status: .unprocessableContent)
        }
        return Pages.redirect(to: "/webhooks")
    }

    private func listPage(
        context: HooklineRequestContext, autoDisable: (days: String, error: String?), status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let account = try context.requireAccount()
        let webhooks = try await store.webhooks(accountID: account.id).filter { !$0.isChannel }
        let counts = try await store.deliveryCounts(accountID: account.id, since: Timestamp.now.adding(seconds: -24 * 3600))
        let queues = try await store.webhookQueues(accountID: account.id)
        let table = WebhookTable(
            rows: WebhookTrouble.sorted(webhooks, queues: queues).map { WebhookRow($0, queue: queues[$0.id] ?? .empty, deliveries24h: counts[$0.id] ?? 0) })
        return pages.render(
            .webhooks, title: "Webhooks", context: context, status: status,
            WebhooksView(table: table, empty: webhooks.isEmpty, autoDisableDays: autoDisable.days, autoDisableError: autoDisable.error))
    }

    @Sendable func show(request: Request, context: HooklineRequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        return try await page(
            context: context, newSecret: nil, flash: query["created"] != nil || query["saved"] != nil ? "Webhook saved." : nil,
            trialInput: TrialInput(kind: query["kind"].map(String.init), subject: query["subject"].map(String.init)), sent: nil)
    }

    /// Sends the webhook now, as `POST /v1/webhooks/{id}/test` does, and shows the request and answer.
    @Sendable func test(request: Request, context: HooklineRequestContext) async throws -> Response {
        let (account, id) = try context.requireAccountAndID()
        let webhook = try found(try await store.webhook(id: id, accountID: account.id), "webhook", id)
        let form = try await FormFields.of(request, context: context)
        let input = TrialInput(kind: form["kind"], subject: form["subject"])
        let trial = try await input.resolve(webhook: webhook, store: store)
        let outcome = await sender.sendTrial(webhook, kind: trial.kind, values: trial.values, subjectID: trial.subjectID)
        return try await page(context: context, newSecret: nil, flash: nil, trialInput: input, sent: outcome.attempt)
    }

    @Sendable func setEnabled(request: Request, context: HooklineRequestContext) async throws -> Response {
        let (account, id) = try context.requireAccountAndID()
        var webhook = try found(try await store.webhook(id: id, accountID: account.id), "webhook", id)
        let form = try await FormFields.of(request, context: context)
        guard let value = form["enabled"], value == "true" || value == "false" else { throw FieldError("enabled", "must be true or false") }
        webhook.settings.enabled = value == "true"
        webhook.updatedAt = .now
        try await store.updateWebhook(webhook)
        // Enabling makes its waiting deliveries due.
        wakeup.signal()
        return Pages.redirect(to: "/webhooks/\(id)")
    }

    @Sendable func rotateSecret(request: Request, context: HooklineRequestContext) async throws -> Response {
        let (account, id) = try context.requireAccountAndID()
        let webhook = try found(try await store.rotateSecret(webhookID: id, accountID: account.id, now: .now), "webhook", id)
        // Shown on this answer only: a reload shows the page without it.
        return try await page(context: context, newSecret: webhook.secrets.current, flash: nil, trialInput: TrialInput(kind: nil, subject: nil), sent: nil)
    }

    /// A preview's or test's choice: the kind of event, and a call or lead id (or none: the
    /// catalogue's examples).
    struct TrialInput {
        var kind: String?
        var subject: String?

        func resolve(webhook: Webhook, store: any Store) async throws -> TrialValues.Trial {
            // JSONValue is ExpressibleByNilLiteral: a bare `nil` would be `.null`, a kind given as null.
            let kind: JSONValue? = (kind?.isEmpty ?? true) ? JSONValue?.none : .string(kind!)
            guard let subject, !subject.isEmpty else { return try await TrialValues(store: store).resolve(webhook: webhook, kind: kind, callID: nil, leadID: nil) }
            let isLead = try await store.lead(id: subject, accountID: webhook.accountID) != nil
            do {
                return try await TrialValues(store: store).resolve(
                    webhook: webhook, kind: kind, callID: isLead ? nil : .string(subject), leadID: isLead ? .string(subject) : nil)
            } catch let error as FieldError where error.field == "call_id" {
                throw FieldError("subject", "no call or lead \(Echo.quoted(subject)) in this account", kind: .unusable)
            }
        }
    }

    private func page(context: HooklineRequestContext, newSecret: String?, flash: String?, trialInput: TrialInput, sent: Attempt?) async throws -> Response {
        let (account, id) = try context.requireAccountAndID()
        let webhook = try found(try await store.webhook(id: id, accountID: account.id), "webhook", id)
        let deliveries = try await store.deliveries(accountID: account.id, filter: DeliveryFilter(webhookID: id), page: PageRequest(limit: 10))
        let now = Timestamp.now
        let timings = try await store.attemptTimings(webhookID: id, accountID: account.id, since: now.adding(seconds: -24 * 3600), limit: 200_000)
        let activity = HourlyActivity(attempts: timings.map { ($0.hour, $0.durationMilliseconds, $0.succeeded, $0.count) }, now: now)
        let rows = try await PlacementRows.load(store: store, accountID: account.id)
        let (preview, previewError) = try await Self.preview(webhook, trialInput: trialInput, store: store)
        let settings = webhook.settings
        let queue = try await store.webhookQueue(id: id, accountID: account.id)
        let summary = WebhookRow(webhook, queue: queue, deliveries24h: 0)
        let shown = WebhookView.Shown(
            id: webhook.id, name: settings.name, url: summary.url, method: settings.method.rawValue, template: summary.template, triggers: summary.triggers,
            successCodes: SuccessCodesText.text(settings.successCodes),
            rateLimit: settings.rateLimit.map { "at most \($0.requests) requests every \(Pages.seconds($0.seconds))" }, enabled: settings.enabled, disabledReason: webhook.disabledReason,
            everyCall: settings.scope == .all, placements: settings.scope.placements.map { rows.row(WebhookPlacements.Entry(webhook: webhook, placement: $0)) },
            health: WebhookView.Health(webhook.health), queue: WebhookView.Queue(queue), newSecret: newSecret, chart: pages.fragment(.activityChart, ActivityChart(activity)),
            attemptsTaken: activity.total.succeeded, attemptsFailed: activity.total.failed,
            templateBody: settings.template.template(for: settings.triggers.first ?? .callBegin)?.body ?? "",
            kinds: settings.triggers.map { ValueOption(value: $0.rawValue, selected: $0.rawValue == trialInput.kind) }, subject: trialInput.subject ?? "",
            preview: preview, previewError: previewError, sent: sent.map(AttemptView.init))
        let names = [webhook.id: settings.name]
        return pages.render(
            .webhook, title: settings.name, context: context, nav: .webhooks, flash: flash,
            WebhookView(webhook: shown, deliveries: DeliveryPages.rows(deliveries.items, names: names, sources: try await DeliveryPages.sourceNames(store, accountID: account.id))))
    }

    /// The request the webhook would send for the page's choice, or why it cannot be rendered.
    private static func preview(_ webhook: Webhook, trialInput: TrialInput, store: any Store) async throws -> (WebhookView.Preview?, String?) {
        do {
            let trial = try await trialInput.resolve(webhook: webhook, store: store)
            let payload = try webhook.settings.compile(for: trial.kind).render(trial.values)
            return (
                WebhookView.Preview(
                    kind: trial.kind.rawValue, from: trial.subjectID == "test" ? "the catalogue's examples" : trial.subjectID,
                    request: "\(webhook.settings.method.rawValue) \(Redaction.redacted(url: payload.url(from: webhook.settings.url)))",
                    headers: AttemptView.lines(Redaction.redacted(payload.headers)),
                    body: BodyDisplay.pretty(String(decoding: payload.body, as: UTF8.self), contentType: payload.contentType ?? "")), nil
            )
        } catch let error as FieldError {
            return (nil, error.message)
        } catch let error as TemplateError {
            return (nil, error.description)
        }
    }
}
