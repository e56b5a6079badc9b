import HooklineCore

extension User {
    /// Never the password's hash.
    var json: JSONObject {
        ["id": .string(id), "email": .string(email), "role": .string(role.rawValue), "created_at": createdAt.json]
    }
}
