/// Every template of the UI by name, for `Pages`.
enum PageTemplates {
    static let all: [(String, String)] = [
        ("top", layoutTop), ("bottom", layoutBottom), ("error", error), ("sign-in", signIn),
        ("webhooks", webhooks), ("webhook", webhook), ("deliveries", deliveries), ("delivery", delivery), ("delivery-rows", deliveryRows), ("attempt", attempt),
        ("tokens", tokens), ("users", users), ("wizard", wizard),
        ("locations", locations), ("location", location), ("webhook-table", webhookTable), ("campaigns", campaigns), ("campaign", campaign), ("placements", placements),
        ("treatments", treatments), ("call", call), ("webhook-edit", webhookEdit), ("sources", sources),
    ]
}
