/// What waits in a webhook's queue, as the store counts it: the pending deliveries that are due
/// or retrying, those being sent, those a hold keeps back, and when the next one is due.
public struct WebhookQueue: Sendable, Hashable {
    /// Pending, neither in flight nor held: due, retrying later, or behind an earlier delivery of
    /// the same call.
    public var waiting: Int
    public var inFlight: Int
    public var held: Int
    /// When the webhook next sends, as its queue's due time says (in-flight limit, a failing
    /// endpoint's probe, a receiver's pause and the rate limit counted); nil when nothing can go
    /// (all held or behind others, or the webhook disabled).
    public var nextAttemptAt: Timestamp?

    public init(waiting: Int = 0, inFlight: Int = 0, held: Int = 0, nextAttemptAt: Timestamp? = nil) {
        self.waiting = waiting
        self.inFlight = inFlight
        self.held = held
        self.nextAttemptAt = nextAttemptAt
    }

    public static let empty = WebhookQueue()
}

/// How much a webhook needs someone's attention, most first: what a team on call looks at.
public enum WebhookTrouble: Int, Sendable, Comparable, CaseIterable {
    /// Hookline turned it off (the receiver answered 410): nothing is sent until someone acts.
    case disabledByHookline
    /// Past the failure threshold: one probe at a time.
    case failing
    /// Its last attempts failed, not yet enough to call it failing.
    case retrying
    case healthy
    /// A person turned it off: its deliveries wait on purpose.
    case disabled

    public static func < (lhs: WebhookTrouble, rhs: WebhookTrouble) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(_ webhook: Webhook) {
        if !webhook.settings.enabled {
            self = webhook.disabledReason == nil ? .disabled : .disabledByHookline
        } else if webhook.health.state == .failing {
            self = .failing
        } else {
            self = webhook.health.consecutiveFailures > 0 ? .retrying : .healthy
        }
    }

    /// The webhooks in order of trouble: within one kind, the longest failure streak, then the
    /// most waiting, then by name, so the list reads the same on every load.
    public static func sorted(_ webhooks: [Webhook], queues: [String: WebhookQueue]) -> [Webhook] {
        webhooks.sorted { lhs, rhs in
            let left = (WebhookTrouble(lhs), -lhs.health.consecutiveFailures, -(queues[lhs.id]?.waiting ?? 0))
            let right = (WebhookTrouble(rhs), -rhs.health.consecutiveFailures, -(queues[rhs.id]?.waiting ?? 0))
            if left != right { return left < right }
            if lhs.settings.name != rhs.settings.name { return lhs.settings.name < rhs.settings.name }
            return lhs.id < rhs.id
        }
    }
}
