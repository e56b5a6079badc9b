import HooklineCore
import HooklineStore

extension Account {
    var json: JSONObject {
        ["id": .string(id), "name": .string(name), "created_at": createdAt.json]
    }

    /// The calling account as `/v1/account` shows it, with its settings.
    func json(autoDisable: AutoDisable, alerts: AlertPolicy) -> JSONObject {
        var object = json
        object["auto_disable_days"] = .integer(Int64(autoDisable.days))
        object["alerts"] = .object(alerts.json)
        return object
    }
}
