import HooklineCore

extension Preset {
    var json: JSONObject {
        [
            "name": .string(name), "summary": .string(summary), "method": .string(method.rawValue),
            "triggers": .array(triggers.map { .string($0.rawValue) }),
            "options": .array(options.map { option in
                [
                    "name": .string(option.name), "type": .string(option.kind.rawValue), "required": .bool(option.required),
                    "secret": .bool(option.secret), "default": option.defaultValue ?? .null, "description": .string(option.description),
                ]
            }),
            "formats": .array(triggers.map { ["trigger": .string($0.rawValue), "format": .string(template(for: $0, options: JSONObject()).format.rawValue)] }),
            "answer_rule": answerRule.map { ["path": .string($0.path.description), "equals": $0.equals] } ?? .null,
            "capture": .object(JSONObject(captures.map { ($0.path.description, .string($0.token)) })),
            "first_call_only": .bool(firstCallOnly),
        ]
    }
}
