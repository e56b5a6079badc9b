import HooklineCore
import HooklineStore

extension StoredTemplate {
    var json: JSONObject {
        [
            "id": .string(id), "name": .string(name), "group": JSONValue(group), "format": .string(template.format.rawValue),
            "body": .string(template.body), "created_at": createdAt.json, "updated_at": updatedAt.json,
        ]
    }
}
