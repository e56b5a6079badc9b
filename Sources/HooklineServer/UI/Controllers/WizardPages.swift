import HooklineCore
import HooklineStore
import Hummingbird

/// The Add Webhook wizard: each Next posts every choice so far and is checked at once; a mistake
/// stays on its step beside its field. Finish saves the template (when one was created) and the
/// webhook through the API's own functions.
struct WizardPages {
    let store: any Store
    let pages: Pages

    func addRoutes(to group: RouterGroup<HooklineRequestContext>) {
        group.get("webhooks/new", use: start)
        group.post("webhooks/new", use: advance)
    }

    @Sendable func start(request: Request, context: HooklineRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        var wizard = WebhookWizard()
        if let location = request.uri.queryParameters["location"].map(String.init), !location.isEmpty {
            _ = try found(try await store.location(id: location, accountID: account.id), "location", location)
            wizard.location = location
        }
        return try await render(wizard, errors: [:], context: context)
    }

    @Sendable func advance(request: Request, context: HooklineRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let form = try await FormFields.of(request, context: context)
        var wizard = WebhookWizard(form: form)
        switch form["action"] {
        case "back":
            wizard.step = wizard.step(before: wizard.step)
            return try await render(wizard, errors: [:], context: context)
        case "add_header":
            wizard.headers.append(("", ""))
            return try await render(wizard, errors: [:], context: context)
        default:
            break
        }
        let (errors, template) = try await check(wizard, accountID: account.id)
        guard errors.isEmpty else { return try await render(wizard, errors: errors, context: context, status: .unprocessableContent) }
        guard wizard.step == .summary, form["action"] == "finish" else {
            wizard.step = wizard.step(after: wizard.step)
            return try await render(wizard, errors: [:], context: context)
        }
        let now = Timestamp.now
        var reference: JSONValue?
        if wizard.mode == .create, let (name, group, built) = template {
            let stored = StoredTemplate(id: Identifier.make("tpl", at: now), accountID: account.id, name: name, group: group, template: built, createdAt: now, updatedAt: now)
            try await store.insertTemplate(stored)
            reference = ["id": .string(stored.id)]
        }
        let webhook = try await WebhookInput(store: store).create(try wizard.webhookBody(template: reference), accountID: account.id, now: now)
        return Pages.redirect(to: "/webhooks/\(webhook.id)?created=1")
    }

    /// The mistakes of the steps up to the wizard's current one, by wizard field; and the
    /// template it creates, once it can be built.
    private func check(_ wizard: WebhookWizard, accountID: String) async throws -> ([String: String], (String, String?, Template)?) {
        let reached = WebhookWizard.Step.allCases.firstIndex(of: wizard.step) ?? 0
        func due(_ step: WebhookWizard.Step) -> Bool { (WebhookWizard.Step.allCases.firstIndex(of: step) ?? 0) <= reached }
        var errors: [String: String] = [:]
        func note(_ error: FieldError) {
            let place = wizard.place(of: error.field)
            if due(place.step), errors[place.field] == nil { errors[place.field] = error.message }
        }
        var template: (String, String?, Template)?
        var inline: JSONValue?
        switch wizard.mode {
        case .create:
            do {
                _ = try DisplayName.read(.string(wizard.templateName))
            } catch {
                errors["template_name"] = error.message
            }
            guard let format = wizard.format else {
                errors["template_type"] = "choose JSON, XML, form or query"
                return (errors, nil)
            }
            if wizard.extractsFields {
                do throws(TemplateError) {
                    _ = try TemplateExtraction.fields(of: wizard.templateExample, format: format)
                } catch {
                    errors["template_example"] = error.description
                }
            }
            if errors.isEmpty, !wizard.extractsFields || due(.fields) {
                do {
                    template = try TemplatesController.read(wizard.templateBody, base: nil)
                    inline = template.map { ["format": .string($0.2.format.rawValue), "body": .string($0.2.body)] }
                } catch {
                    // The template object's own fields, not the webhook's.
                    let field =
                        switch error.field.prefix(while: { $0 != "." }) {
                        case "name": "template_name"
                        case "group": "template_group"
                        case "format": "template_type"
                        case "mapping": "map.\(error.field.dropFirst("mapping.".count))"
                        default: "template_example"
                        }
                    errors[field] = error.message
                }
            }
        case .existing:
            if wizard.preset == nil {
                guard let id = wizard.storedTemplateID else {
                    errors["template"] = "choose a template or a preset"
                    return (errors, nil)
                }
                if try await store.template(id: id, accountID: accountID) == nil { errors["template"] = "no template \(id) in this account" }
            }
        }
        guard errors.isEmpty else { return (errors, template) }
        do {
            _ = try await WebhookInput(store: store).settings(try wizard.webhookBody(template: inline), base: nil, accountID: accountID)
        } catch let error as FieldError {
            note(error)
        }
        return (errors, template)
    }

    private func render(_ wizard: WebhookWizard, errors: [String: String], context: HooklineRequestContext, status: HTTPResponse.Status = .ok) async throws -> Response {
        let account = try context.requireAccount()
        let view = WizardView(wizard: wizard, errors: errors, templates: try await store.templates(accountID: account.id, group: nil))
        return pages.render(.wizard, title: "Add Webhook", context: context, status: status, nav: .webhooks, view)
    }
}
