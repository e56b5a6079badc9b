/// Every template of the UI (the files in `Templates/`, compiled into the binary), by the name
/// pages and partials use.
enum PageTemplate: String, CaseIterable {
    case top, bottom, error, signIn = "sign-in"
    case webhooks, webhook, webhookTable = "webhook-table", webhookEdit = "webhook-edit", wizard, activityChart = "activity-chart"
    case deliveries, delivery, deliveryRows = "delivery-rows", attempt, call, replay
    case tokens, users, sources, notifications
    case locations, location, campaigns, campaign, placements, treatments

    var text: [UInt8] {
        switch self {
        case .top: PackageResources.top_mustache
        case .bottom: PackageResources.bottom_mustache
        case .error: PackageResources.error_mustache
        case .signIn: PackageResources.sign_in_mustache
        case .webhooks: PackageResources.webhooks_mustache
        case .webhook: PackageResources.webhook_mustache
        case .webhookTable: PackageResources.webhook_table_mustache
        case .webhookEdit: PackageResources.webhook_edit_mustache
        case .wizard: PackageResources.wizard_mustache
        case .activityChart: PackageResources.activity_chart_mustache
        case .deliveries: PackageResources.deliveries_mustache
        case .delivery: PackageResources.delivery_mustache
        case .deliveryRows: PackageResources.delivery_rows_mustache
        case .attempt: PackageResources.attempt_mustache
        case .call: PackageResources.call_mustache
        case .replay: PackageResources.replay_mustache
        case .tokens: PackageResources.tokens_mustache
        case .users: PackageResources.users_mustache
        case .sources: PackageResources.sources_mustache
        case .notifications: PackageResources.notifications_mustache
        case .locations: PackageResources.locations_mustache
        case .location: PackageResources.location_mustache
        case .campaigns: PackageResources.campaigns_mustache
        case .campaign: PackageResources.campaign_mustache
        case .placements: PackageResources.placements_mustache
        case .treatments: PackageResources.treatments_mustache
        }
    }
}
