import HooklineCore

extension InboundSource {
    /// Never the address's secret, nor secret options.
    var json: JSONObject {
        [
            "id": .string(id), "name": .string(name), "kind": .string(kind.rawValue), "options": .object(shownOptions),
            "received": .integer(Int64(received)), "refused": .integer(Int64(refused)), "created_at": createdAt.json, "updated_at": updatedAt.json,
        ]
    }
}
