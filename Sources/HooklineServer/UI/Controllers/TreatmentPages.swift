import Foundation
import HooklineCore
import HooklineStore
import Hummingbird

/// Call treatments (seed 004): a webhook enabled on a treatment option, an IVR question and the
/// response the caller pressed (Department → Sales), goes only for callers who chose it.
struct TreatmentPages {
    let store: any Store
    let pages: Pages

    func addRoutes(to group: RouterGroup<HooklineRequestContext>) {
        group.get("treatments", use: show)
        group.post("treatments", use: enable)
        group.post("treatments/remove", use: remove)
    }

    @Sendable func show(request: Request, context: HooklineRequestContext) async throws -> Response {
        try await page(context: context, form: [:], errors: [:])
    }

    @Sendable func enable(request: Request, context: HooklineRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let form = try await FormFields.of(request, context: context)
        let entered = ["question": form["question"] ?? "", "response": form["response"] ?? "", "webhook_id": form["webhook_id"] ?? ""]
        var errors: [String: String] = [:]
        let question = entered["question"]!.trimmingCharacters(in: .whitespaces)
        let response = entered["response"]!.trimmingCharacters(in: .whitespaces)
        if question.isEmpty { errors["question"] = "name the question, such as Department" }
        if response.isEmpty { errors["response"] = "name the response the caller chooses, such as Sales" }
        let webhook = try await store.webhook(id: entered["webhook_id"]!, accountID: account.id)
        if webhook == nil { errors["webhook_id"] = "choose a webhook" }
        if let webhook, errors.isEmpty {
            do {
                _ = try await WebhookInput(store: store).update(webhook, to: webhook.settings.enabled(onTreatment: TreatmentOption(question: question, response: response)))
                return Pages.redirect(to: "/treatments")
            } catch let error as FieldError {
                errors["webhook_id"] = error.message
            }
        }
        return try await page(context: context, form: entered, errors: errors)
    }

    @Sendable func remove(request: Request, context: HooklineRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let form = try await FormFields.of(request, context: context)
        let id = form["webhook_id"] ?? ""
        let webhook = try found(try await store.webhook(id: id, accountID: account.id), "webhook", id)
        let option = TreatmentOption(question: form["question"] ?? "", response: form["response"] ?? "")
        _ = try await WebhookInput(store: store).update(webhook, to: webhook.settings.disabled(onTreatment: option))
        return Pages.redirect(to: "/treatments")
    }

    private func page(context: HooklineRequestContext, form: [String: String], errors: [String: String]) async throws -> Response {
        let account = try context.requireAccount()
        let webhooks = try await store.webhooks(accountID: account.id)
        let options = webhooks.flatMap { webhook in
            webhook.settings.scope.treatments.map { ["webhookID": webhook.id, "webhook": webhook.settings.name, "question": $0.question, "response": $0.response] }
        }
        return pages.render(
            "treatments", title: "Call treatments", context: context, status: errors.isEmpty ? .ok : .unprocessableContent,
            [
                "options": options, "form": form, "errors": errors,
                "webhookOptions": webhooks.map { ["id": $0.id, "name": $0.settings.name, "selected": $0.id == form["webhook_id"]] },
            ])
    }
}
