import HooklineCore

extension Token {
    var json: JSONObject {
        var object: JSONObject = [
            "name": .string(name), "category": .string(category.rawValue), "type": .string(type.rawValue),
            "description": .string(description), "example": example,
        ]
        if let allowedValues { object["allowed_values"] = .array(allowedValues.map(JSONValue.string)) }
        return object
    }
}
