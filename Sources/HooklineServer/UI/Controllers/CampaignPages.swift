import HooklineCore
import HooklineStore
import Hummingbird

/// Offline and DNI campaigns (seed 004): a campaign's page enables a webhook on it, at the
/// beginning or the end of the call, and lists the webhooks enabled on it.
struct CampaignPages {
    let store: any Store
    let pages: Pages

    func addRoutes(to group: RouterGroup<HooklineRequestContext>) {
        group.get("campaigns", use: list)
        group.get("campaigns/{id}", use: show)
        group.post("campaigns/{id}/webhooks", use: enable)
        group.post("campaigns/{id}/webhooks/{webhook}/remove", use: remove)
    }

    @Sendable func list(request: Request, context: HooklineRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let campaigns = try await store.campaigns(accountID: account.id).map { campaign -> [String: Any] in
            ["id": campaign.id, "name": campaign.name, "kind": campaign.kind == .dni ? "DNI" : "offline", "numbers": campaign.trackingNumbers.joined(separator: ", ")]
        }
        return pages.render("campaigns", title: "Campaigns", context: context, ["campaigns": campaigns])
    }

    @Sendable func show(request: Request, context: HooklineRequestContext) async throws -> Response {
        try await page(context: context, error: nil)
    }

    @Sendable func enable(request: Request, context: HooklineRequestContext) async throws -> Response {
        let (account, id) = try context.requireAccountAndID()
        let campaign = try found(try await store.campaign(id: id, accountID: account.id), "campaign", id)
        let form = try await FormFields.of(request, context: context)
        guard let webhookID = form["webhook_id"], !webhookID.isEmpty, let webhook = try await store.webhook(id: webhookID, accountID: account.id) else {
            return try await page(context: context, error: ("webhook_id", "choose a webhook"))
        }
        guard let moment = form["moment"].flatMap(WebhookSettings.CallMoment.init(rawValue:)) else {
            return try await page(context: context, error: ("moment", "choose the beginning or the end of the call"))
        }
        do {
            _ = try await WebhookInput(store: store).update(webhook, to: webhook.settings.enabled(onCampaign: campaign, at: moment))
        } catch let error as FieldError {
            return try await page(context: context, error: ("webhook_id", error.message))
        }
        return Pages.redirect(to: "/campaigns/\(id)")
    }

    @Sendable func remove(request: Request, context: HooklineRequestContext) async throws -> Response {
        let (account, id) = try context.requireAccountAndID()
        let webhookID = try context.parameters.require("webhook")
        let webhook = try found(try await store.webhook(id: webhookID, accountID: account.id), "webhook", webhookID)
        _ = try await WebhookInput(store: store).update(webhook, to: webhook.settings.disabled(onCampaign: id))
        return Pages.redirect(to: "/campaigns/\(id)")
    }

    private func page(context: HooklineRequestContext, error: (field: String, message: String)?) async throws -> Response {
        let (account, id) = try context.requireAccountAndID()
        let campaign = try found(try await store.campaign(id: id, accountID: account.id), "campaign", id)
        let webhooks = try await store.webhooks(accountID: account.id)
        let enabled = webhooks.filter { ($0.settings.scope.campaigns + $0.settings.scope.dniCampaigns).contains(id) }
        return pages.render(
            "campaign", title: campaign.name, context: context, status: error == nil ? .ok : .unprocessableContent,
            [
                "nav": "campaigns", "id": id, "campaignID": id, "name": campaign.name, "kind": campaign.kind == .dni ? "DNI" : "offline",
                "numbers": campaign.trackingNumbers.joined(separator: ", "), "location": campaign.locationID ?? "",
                "enabled": enabled.map { webhook in
                    WebhookPages.summary(webhook).merging([
                        "moments": webhook.settings.triggers.filter { $0 == .callBegin || $0 == .callEnd }
                            .map { $0 == .callBegin ? "beginning of call" : "end of call" }.joined(separator: ", "),
                    ]) { $1 }
                },
                "webhookOptions": webhooks.map { ["id": $0.id, "name": $0.settings.name] },
                "errors": error.map { [$0.field: $0.message] } ?? [:],
            ])
    }
}
