import HooklineCore
import HooklineStore

extension Account {
    var json: JSONObject {
        ["id": .string(id), "name": .string(name), "created_at": createdAt.json]
    }
}
