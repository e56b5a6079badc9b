/// A webhook enabled at a place and moment, in people's terms.
struct PlacementRow {
    let webhookID: String
    let webhook: String
    let place: String
    let link: String
    let moment: String
    let momentValue: String
    let question: String
    let response: String
    /// A placement whose moment the webhook's triggers leave out sends nothing then.
    let paused: Bool
}

/// The `placements` partial: the dropdown to enable a webhook on a campaign or location, and the
/// webhooks enabled there.
struct PlacementPanel {
    let placeBase: String
    let placeNoun: String
    let enabled: [PlacementRow]
    let webhookOptions: [WebhookOption]
    let errors: FormErrors
}

/// The account's locations.
struct LocationsView {
    struct Row {
        let id: String
        let name: String
        let city: String
        let webhooks: Int
    }

    let locations: [Row]
}

/// A location's page: its details tab or its Webhook Management tab.
struct LocationView {
    let id: String
    let name: String
    let tabDetails: Bool
    let tabWebhooks: Bool
    let details: [NameValue]
    let placing: PlacementPanel
    let own: WebhookTable
    let accountWide: WebhookTable
}

/// The account's campaigns.
struct CampaignsView {
    struct Row {
        let id: String
        let name: String
        let kind: String
        let numbers: String
    }

    let campaigns: [Row]
}

/// A campaign's page and the webhooks enabled on it.
struct CampaignView {
    let id: String
    let name: String
    let kind: String
    let numbers: String
    let location: String?
    let placing: PlacementPanel
}

/// Call treatments: the form to enable a webhook on an option, and those enabled.
struct TreatmentsView {
    struct Entered {
        var question = ""
        var response = ""
        var webhookID = ""
    }

    let options: [PlacementRow]
    let form: Entered
    let errors: FormErrors
    let webhookOptions: [WebhookOption]
}
