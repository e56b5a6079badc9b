import HooklineCore

extension Webhook {
    /// The webhook as every answer shows it: no secrets.
    var json: JSONObject {
        var object: JSONObject = ["id": .string(id)]
        object = object.merging(settings.json)
        object["disabled_reason"] = JSONValue(disabledReason)
        object["health"] = [
            "state": .string(health.state.rawValue),
            "consecutive_failures": .integer(Int64(health.consecutiveFailures)),
            "failing_since": health.failingSince.json,
            "last_error": JSONValue(health.lastError),
            "paused_until": (health.isPaused(at: .now) ? health.pausedUntil : nil).json,
        ]
        object["created_at"] = createdAt.json
        object["updated_at"] = updatedAt.json
        return object
    }

    /// The webhook with what waits in its queue and how much attention it needs, as the list and
    /// one webhook's answer show it.
    func json(queue: WebhookQueue) -> JSONObject {
        var object = json
        object["trouble"] = .string(WebhookTrouble(self).name)
        object["queue"] = [
            "waiting": .integer(Int64(queue.waiting)),
            "in_flight": .integer(Int64(queue.inFlight)),
            "held": .integer(Int64(queue.held)),
            "next_attempt_at": queue.nextAttemptAt.json,
        ]
        return object
    }

    /// Only at creation and rotation: the signing secret, once.
    var jsonRevealingSecret: JSONObject {
        var object = json
        object["secret"] = .string(secrets.current)
        return object
    }
}

extension WebhookTrouble {
    /// The API's name of the state, and the UI's badge class.
    var name: String {
        switch self {
        case .disabledByHookline: "disabled_by_hookline"
        case .failing: "failing"
        case .retrying: "retrying"
        case .healthy: "healthy"
        case .disabled: "disabled"
        }
    }
}
