import Foundation
import HooklineCore
import HooklineStore
import Hummingbird

/// Call treatments: a webhook enabled on a treatment option, an IVR question and the
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
        try await page(context: context, form: TreatmentsView.Entered(), errors: [:])
    }

    @Sendable func enable(request: Request, context: HooklineRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let form = try await FormFields.of(request, context: context)
        let entered = TreatmentsView.Entered(question: form["question"] ?? "", response: form["response"] ?? "", webhookID: form["webhook_id"] ?? "")
        var errors: FormErrors = [:]
        let question = entered.question.trimmingCharacters(in: .whitespaces)
        let response = entered.response.trimmingCharacters(in: .whitespaces)
        if question.isEmpty {
            errors["question"] = "name the question, such as Department"
        } else if (try? TreatmentOption.readText(.string(question), field: "question")) == nil {
            errors["question"] = "at most 200 characters without control characters"
        }
        if response.isEmpty {
            errors["response"] = "name the response the caller chooses, such as Sales"
        } else if (try? TreatmentOption.readText(.string(response), field: "response")) == nil {
            errors["response"] = "at most 200 characters without control characters"
        }
        let webhook = try await store.webhook(id: entered.webhookID, accountID: account.id)
        if webhook == nil { errors["webhook_id"] = "choose a webhook" }
        if let webhook, errors.isEmpty {
            do {
                _ = try await WebhookPlacements(store: store).place(
                    webhookID: webhook.id, at: .treatment(TreatmentOption(question: question, response: response)), moment: nil, accountID: account.id)
                return Pages.redirect(to: "/treatments")
            } catch let error as FieldError {
                errors[error.field] = error.message
            }
        }
        return try await page(context: context, form: entered, errors: errors)
    }

    @Sendable func remove(request: Request, context: HooklineRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let form = try await FormFields.of(request, context: context)
        let id = form["webhook_id"] ?? ""
        let option = TreatmentOption(question: form["question"] ?? "", response: form["response"] ?? "")
        guard try await WebhookPlacements(store: store).remove(webhookID: id, at: .treatment(option), accountID: account.id) else {
            throw StoreError.notFound("webhook \(id) is not enabled on \(option.question) → \(option.response)")
        }
        return Pages.redirect(to: "/treatments")
    }

    private func page(context: HooklineRequestContext, form: TreatmentsView.Entered, errors: FormErrors) async throws -> Response {
        let account = try context.requireAccount()
        let webhooks = try await store.webhooks(accountID: account.id)
        let rows = try await PlacementRows.load(store: store, accountID: account.id)
        let options = webhooks.flatMap { webhook in
            webhook.settings.scope.placements.filter { $0.place.treatment != nil }.map { rows.row(WebhookPlacements.Entry(webhook: webhook, placement: $0)) }
        }
        return pages.render(
            .treatments, title: "Call treatments", context: context, status: errors.isEmpty ? .ok : .unprocessableContent,
            TreatmentsView(options: options, form: form, errors: errors, webhookOptions: WebhookOption.list(webhooks, selected: form.webhookID)))
    }
}
