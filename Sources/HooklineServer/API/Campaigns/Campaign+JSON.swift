import HooklineCore

extension Campaign {
    var json: JSONObject {
        [
            "id": .string(id), "name": .string(name), "kind": .string(kind.rawValue), "tags": .object(tags), "location": JSONValue(locationID),
            "tracking_numbers": .array(trackingNumbers.map(JSONValue.string)), "created_at": createdAt.json, "updated_at": updatedAt.json,
        ]
    }
}
