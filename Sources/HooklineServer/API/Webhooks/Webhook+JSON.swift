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
        ]
        object["created_at"] = createdAt.json
        object["updated_at"] = updatedAt.json
        return object
    }

    /// Only at creation and rotation: the signing secret, once.
    var jsonRevealingSecret: JSONObject {
        var object = json
        object["secret"] = .string(secrets.current)
        return object
    }
}
