import HooklineCore

extension Location {
    var json: JSONObject {
        JSONObject([("id", .string(id))]).merging(values).merging(["created_at": createdAt.json, "updated_at": updatedAt.json])
    }
}
