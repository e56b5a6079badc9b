import HooklineCore

/// A webhook in a table of webhooks, with what a team on call looks at: its trouble, failure
/// streak, queue and last error.
struct WebhookRow {
    let id: String
    let name: String
    let url: String
    let template: String
    let triggers: String
    let trouble: Trouble
    let failures: Int?
    let waiting: Int
    let held: Int?
    let lastError: String?
    let nextAttemptAt: String?
    /// The receiver asked for a pause (429 or 503 with `Retry-After`) that still holds.
    let pausedUntil: String?
    let deliveries24h: Int

    init(_ webhook: Webhook, queue: WebhookQueue, deliveries24h: Int) {
        id = webhook.id
        name = webhook.settings.name
        url = Redaction.redacted(url: webhook.settings.url)
        template = Self.templateName(webhook.settings.template)
        triggers = webhook.settings.triggers.map(\.rawValue).joined(separator: ", ")
        trouble = Trouble(WebhookTrouble(webhook))
        failures = webhook.health.consecutiveFailures > 0 ? webhook.health.consecutiveFailures : nil
        waiting = queue.waiting + queue.inFlight
        held = queue.held > 0 ? queue.held : nil
        lastError = webhook.health.consecutiveFailures > 0 ? webhook.health.lastError : nil
        nextAttemptAt = queue.nextAttemptAt.map { Pages.due($0, at: .now, prefix: "next at ") }
        pausedUntil = webhook.health.isPaused(at: .now) ? webhook.health.pausedUntil.map(Pages.time) : nil
        self.deliveries24h = deliveries24h
    }

    /// A webhook's trouble as a badge: its class and its words.
    struct Trouble {
        let name: String
        let label: String

        init(_ trouble: WebhookTrouble) {
            name = trouble.name
            label = switch trouble {
            case .disabledByHookline: "disabled by Hookline"
            case .failing: "failing"
            case .retrying: "retrying"
            case .healthy: "healthy"
            case .disabled: "disabled"
            }
        }
    }

    static func templateName(_ source: TemplateSource) -> String {
        switch source {
        case .inline(let template): "custom \(template.format.rawValue)"
        case .stored(let id, let template): "\(id) (\(template.format.rawValue))"
        case .preset(let choice): "preset \(choice.name)"
        }
    }
}

/// The `webhook-table` partial's rows.
struct WebhookTable {
    let rows: [WebhookRow]
}

/// The account's webhooks.
struct WebhooksView {
    let table: WebhookTable
    let empty: Bool
    /// The account's auto-disable days as entered, and what was wrong with them.
    let autoDisableDays: String
    let autoDisableError: String?
}

/// A webhook's page: what it is, its health and activity, a live preview and a test, and its
/// latest deliveries.
struct WebhookView {
    struct Shown {
        let id: String
        let name: String
        let url: String
        let method: String
        let template: String
        let triggers: String
        let successCodes: String
        /// "at most N requests every S s", when it has a rate limit.
        let rateLimit: String?
        let enabled: Bool
        let disabledReason: String?
        let everyCall: Bool
        let placements: [PlacementRow]
        let health: Health
        let queue: Queue
        let newSecret: String?
        let chart: String
        let attemptsTaken: Int
        let attemptsFailed: Int
        let templateBody: String
        let kinds: [ValueOption]
        let subject: String
        let preview: Preview?
        let previewError: String?
        let sent: AttemptView?
    }

    struct Health {
        let state: String
        let consecutiveFailures: Int?
        let failingSince: String?
        let lastError: String?
        let nextProbeAt: String?
        let pausedUntil: String?

        init(_ health: EndpointHealth) {
            state = health.state.rawValue
            consecutiveFailures = health.consecutiveFailures > 0 ? health.consecutiveFailures : nil
            failingSince = health.failingSince.map(Pages.time)
            lastError = health.lastError
            nextProbeAt = health.nextProbeAt.map(Pages.time)
            pausedUntil = health.isPaused(at: .now) ? health.pausedUntil.map(Pages.time) : nil
        }
    }

    /// What waits in the webhook's queue.
    struct Queue {
        let waiting: Int
        let inFlight: Int
        let held: Int
        let someHeld: Bool
        let nextAttemptAt: String?

        init(_ queue: WebhookQueue) {
            waiting = queue.waiting
            inFlight = queue.inFlight
            held = queue.held
            someHeld = queue.held > 0
            nextAttemptAt = queue.nextAttemptAt.map { Pages.due($0, at: .now, prefix: "") }
        }
    }

    /// The request the webhook would send for the chosen event and call or lead.
    struct Preview {
        let kind: String
        let from: String
        let request: String
        let headers: [NameValue]
        let body: String
    }

    let webhook: Shown
    let deliveries: [DeliveryRow]
}

/// The edit form of a webhook, as entered.
struct WebhookEditView {
    let id: String
    let name: String
    let url: String
    let errors: FormErrors
    let triggers: [Check]
    let headers: [NameValue]
    let successCodes: String
    let presetMethod: String?
    let methods: [ValueOption]
    let hold: HoldChoice.View
    let rateRequests: String
    let rateSeconds: String
}
