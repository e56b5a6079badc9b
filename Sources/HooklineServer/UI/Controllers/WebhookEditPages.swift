import HooklineCore
import HooklineStore
import Hummingbird

/// Editing a webhook's main settings, with the API's rules (a PATCH of these fields). Secret
/// header values and a password in the URL are shown redacted and kept when sent back as shown.
struct WebhookEditPages {
    let store: any Store
    let pages: Pages

    func addRoutes(to group: RouterGroup<HooklineRequestContext>) {
        group.get("webhooks/{id}/edit", use: form)
        group.post("webhooks/{id}/edit", use: save)
    }

    struct Entered {
        var name: String
        var url: String
        var triggers: [String]
        var headers: [(name: String, value: String)]
        var successCodes: String
        var method: String
        var hold: HoldChoice
        var rate: RateChoice

        init(_ webhook: Webhook) {
            name = webhook.settings.name
            url = Redaction.redacted(url: webhook.settings.url)
            triggers = webhook.settings.triggers.map(\.rawValue)
            headers = Redaction.redacted(webhook.settings.headers).map { ($0.name, $0.value) }
            successCodes = SuccessCodesText.text(webhook.settings.successCodes)
            method = webhook.settings.method.rawValue
            hold = HoldChoice(webhook.settings.hold)
            rate = RateChoice(webhook.settings.rateLimit)
        }

        init(_ form: FormFields) {
            name = form["name"] ?? ""
            url = form["url"] ?? ""
            triggers = form.all("trigger")
            headers = zip(form.all("header_name"), form.all("header_value")).map { ($0, $1) }.filter { !$0.name.isEmpty || !$0.value.isEmpty }
            successCodes = form["success_codes"] ?? ""
            method = form["method"] ?? "POST"
            hold = HoldChoice(form: form)
            rate = RateChoice(form: form)
        }

        func body(preset: Bool) throws(FieldError) -> JSONValue {
            var object: JSONObject = [
                "name": .string(name), "url": .string(url), "triggers": .array(triggers.map(JSONValue.string)),
                "headers": .object(JSONObject(headers.map { ($0.name, .string($0.value)) })), "success_codes": try SuccessCodesText.json(successCodes, field: "success_codes"),
                "hold": try hold.json(), "rate_limit": try rate.json(),
            ]
            if !preset { object["method"] = .string(method) }
            return .object(object)
        }
    }

    @Sendable func form(request: Request, context: HooklineRequestContext) async throws -> Response {
        let webhook = try await find(context)
        return render(webhook, Entered(webhook), errors: [:], context: context)
    }

    @Sendable func save(request: Request, context: HooklineRequestContext) async throws -> Response {
        var webhook = try await find(context)
        let entered = Entered(try await FormFields.of(request, context: context))
        do {
            let body = try entered.body(preset: webhook.settings.template.presetChoice != nil)
            webhook.settings = try await WebhookInput(store: store).settings(body, base: webhook.settings, accountID: webhook.accountID)
        } catch let error as FieldError {
            let head = String(error.field.prefix { $0 != "." && $0 != "[" })
            let field = head == "triggers" ? "trigger" : ["name", "url", "headers", "success_codes", "method", "hold", "rate_limit"].contains(head) ? head : "general"
            return render(webhook, entered, errors: [field: error.message], context: context, status: .unprocessableContent)
        }
        webhook.updatedAt = .now
        try await store.updateWebhook(webhook)
        return Pages.redirect(to: "/webhooks/\(webhook.id)?saved=1")
    }

    private func render(_ webhook: Webhook, _ entered: Entered, errors: FormErrors, context: HooklineRequestContext, status: HTTPResponse.Status = .ok) -> Response {
        let view = WebhookEditView(
            id: webhook.id, name: entered.name, url: entered.url, errors: errors,
            triggers: EventKind.reported.map { Check(value: $0.rawValue, checked: entered.triggers.contains($0.rawValue)) },
            headers: (entered.headers.isEmpty ? [("", "")] : entered.headers).map { NameValue(name: $0.0, value: $0.1) }, successCodes: entered.successCodes,
            presetMethod: webhook.settings.template.presetChoice.map { _ in webhook.settings.method.rawValue },
            methods: WebhookMethod.allCases.map { ValueOption(value: $0.rawValue, selected: entered.method == $0.rawValue) }, hold: entered.hold.view,
            rateRequests: entered.rate.requests, rateSeconds: entered.rate.seconds)
        return pages.render(.webhookEdit, title: "Edit \(webhook.settings.name)", context: context, status: status, nav: .webhooks, view)
    }

    private func find(_ context: HooklineRequestContext) async throws -> Webhook {
        let (account, id) = try context.requireAccountAndID()
        return try found(try await store.webhook(id: id, accountID: account.id), "webhook", id)
    }
}
