import HooklineCore
import HooklineStore
import Hummingbird

/// Offline and DNI campaigns: a campaign's page enables a webhook on it, at the
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
        let campaigns = try await store.campaigns(accountID: account.id).map { campaign in
            CampaignsView.Row(id: campaign.id, name: campaign.name, kind: Self.kind(campaign), numbers: campaign.trackingNumbers.joined(separator: ", "))
        }
        return pages.render(.campaigns, title: "Campaigns", context: context, CampaignsView(campaigns: campaigns))
    }

    @Sendable func show(request: Request, context: HooklineRequestContext) async throws -> Response {
        try await page(context: context, error: nil)
    }

    @Sendable func enable(request: Request, context: HooklineRequestContext) async throws -> Response {
        let (account, id) = try context.requireAccountAndID()
        if let error = try await PlacementForms(store: store).enable(request, context: context, at: .campaign(id), accountID: account.id) {
            return try await page(context: context, error: error)
        }
        return Pages.redirect(to: "/campaigns/\(id)")
    }

    @Sendable func remove(request: Request, context: HooklineRequestContext) async throws -> Response {
        let (account, id) = try context.requireAccountAndID()
        try await PlacementForms(store: store).remove(request, context: context, at: .campaign(id), accountID: account.id)
        return Pages.redirect(to: "/campaigns/\(id)")
    }

    private func page(context: HooklineRequestContext, error: (field: String, message: String)?) async throws -> Response {
        let (account, id) = try context.requireAccountAndID()
        let campaign = try found(try await store.campaign(id: id, accountID: account.id), "campaign", id)
        let placing = try await PlacementForms(store: store).panel(at: .campaign(id), path: "/campaigns/\(id)", noun: "campaign", accountID: account.id, error: error)
        return pages.render(
            .campaign, title: campaign.name, context: context, status: error == nil ? .ok : .unprocessableContent, nav: .campaigns,
            CampaignView(
                id: id, name: campaign.name, kind: Self.kind(campaign), numbers: campaign.trackingNumbers.joined(separator: ", "), location: campaign.locationID,
                placing: placing))
    }

    private static func kind(_ campaign: Campaign) -> String { campaign.kind == .dni ? "DNI" : "offline" }
}
