import HooklineCore
import HooklineStore
import Hummingbird

/// Offline and DNI campaigns (seed 004): a campaign's page enables a webhook on it, at the
/// beginning or the end of the call, and lists the webhooks enabled on it with their moments.
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
        let placements = WebhookPlacements(store: store)
        try await placements.requirePlace(.campaign(id), accountID: account.id)
        let form = try await FormFields.of(request, context: context)
        guard let webhookID = form["webhook_id"], !webhookID.isEmpty else { return try await page(context: context, error: ("webhook_id", "choose a webhook")) }
        do {
            _ = try await placements.place(webhookID: webhookID, at: .campaign(id), moment: form["moment"].map(JSONValue.string), accountID: account.id)
        } catch let error as FieldError {
            return try await page(context: context, error: (error.field, error.message))
        }
        return Pages.redirect(to: "/campaigns/\(id)")
    }

    @Sendable func remove(request: Request, context: HooklineRequestContext) async throws -> Response {
        let (account, id) = try context.requireAccountAndID()
        let webhookID = try context.parameters.require("webhook")
        let form = try await FormFields.of(request, context: context)
        let moment = form["moment"].flatMap(CallMoment.init(rawValue:))
        guard try await WebhookPlacements(store: store).remove(webhookID: webhookID, at: .campaign(id), moment: moment, accountID: account.id) else {
            throw StoreError.notFound("webhook \(webhookID) is not enabled on campaign \(id)")
        }
        return Pages.redirect(to: "/campaigns/\(id)")
    }

    private func page(context: HooklineRequestContext, error: (field: String, message: String)?) async throws -> Response {
        let (account, id) = try context.requireAccountAndID()
        let campaign = try found(try await store.campaign(id: id, accountID: account.id), "campaign", id)
        let rows = try await PlacementRows.load(store: store, accountID: account.id)
        let enabled = try await WebhookPlacements(store: store).entries(at: .campaign(id), accountID: account.id)
        return pages.render(
            "campaign", title: campaign.name, context: context, status: error == nil ? .ok : .unprocessableContent,
            [
                "nav": "campaigns", "id": id, "campaignID": id, "name": campaign.name, "kind": campaign.kind == .dni ? "DNI" : "offline",
                "numbers": campaign.trackingNumbers.joined(separator: ", "), "location": campaign.locationID ?? "",
                "enabled": enabled.map(rows.row),
                "webhookOptions": PlacementRows.options(try await store.webhooks(accountID: account.id)),
                "errors": error.map { [$0.field: $0.message] } ?? [:],
            ])
    }
}
