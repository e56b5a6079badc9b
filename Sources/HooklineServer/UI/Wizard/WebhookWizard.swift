import HooklineCore
import HooklineStore

/// The Add Webhook wizard as a value (webhook, preset options or fields, advanced settings,
/// summary): what was chosen so far (carried from step to step in the form), which step comes
/// next, and the API body it amounts to. Every check is the API's own (`WebhookSettings(json:)`,
/// `TemplateExtraction`, `TemplatesController.read`); a mistake is shown beside the wizard's
/// field for the API field it concerns.
struct WebhookWizard: Sendable {
    enum Step: String, Sendable, CaseIterable {
        case start, options, fields, advanced, summary
    }

    enum Mode: String, Sendable { case existing, create }

    static let successChoices = ["200", "201", "202", "203", "204"]

    var step = Step.start
    var location: String?
    var mode = Mode.existing
    var name = ""
    var url = ""
    var triggers: [String] = [EventKind.callEnd.rawValue]
    /// `tpl:<id>` or `preset:<name>`.
    var template = ""
    var presetOptions: [String: String] = [:]
    var templateName = ""
    var templateGroup = ""
    var templateType = TemplateFormat.json.rawValue
    var templateExample = ""
    var mapping: [String: String] = [:]
    var headers: [(name: String, value: String)] = []
    var successCode = "200"
    var successOther = ""
    var method = WebhookMethod.post.rawValue
    var hold = HoldChoice(nil)

    init() {}

    init(form: FormFields) {
        step = form["step"].flatMap(Step.init(rawValue:)) ?? .start
        location = form["location"].flatMap { $0.isEmpty ? nil : $0 }
        mode = form["mode"].flatMap(Mode.init(rawValue:)) ?? .existing
        name = form["name"] ?? ""
        url = form["url"] ?? ""
        triggers = form.all("trigger")
        template = form["template"] ?? ""
        templateName = form["template_name"] ?? ""
        templateGroup = form["template_group"] ?? ""
        templateType = form["template_type"] ?? TemplateFormat.json.rawValue
        templateExample = form["template_example"] ?? ""
        for (key, values) in form.values {
            if key.hasPrefix("option.") { presetOptions[String(key.dropFirst(7))] = values.first ?? "" }
            if key.hasPrefix("map.") { mapping[String(key.dropFirst(4))] = values.first ?? "" }
        }
        headers = zip(form.all("header_name"), form.all("header_value")).map { ($0, $1) }.filter { !$0.name.isEmpty || !$0.value.isEmpty }
        successCode = form["success_code"] ?? "200"
        successOther = form["success_other"] ?? ""
        method = form["method"] ?? WebhookMethod.post.rawValue
        hold = HoldChoice(form: form)
    }

    var preset: Preset? {
        guard mode == .existing, template.hasPrefix("preset:") else { return nil }
        return Preset.named(String(template.dropFirst(7)))
    }

    var storedTemplateID: String? {
        guard mode == .existing, template.hasPrefix("tpl:") else { return nil }
        return String(template.dropFirst(4))
    }

    var format: TemplateFormat? { TemplateFormat(rawValue: templateType) }

    /// Built from an example (JSON or XML) rather than written with tokens (form, query).
    var extractsFields: Bool { mode == .create && (format == .json || format == .xml) }

    /// The steps this wizard goes through, in order.
    var steps: [Step] {
        var steps: [Step] = [.start]
        if let preset, !preset.options.isEmpty { steps.append(.options) }
        if extractsFields { steps.append(.fields) }
        return steps + [.advanced, .summary]
    }

    func step(after step: Step) -> Step { steps.drop { $0 != step }.dropFirst().first ?? .summary }
    func step(before step: Step) -> Step { steps.prefix { $0 != step }.last ?? .start }

    /// The step an API field's mistake is shown on, and the wizard's field beside which.
    func place(of apiField: String) -> (step: Step, field: String) {
        let head = String(apiField.prefix { $0 != "." && $0 != "[" })
        switch head {
        case "name", "url": return (.start, head)
        case "triggers": return (.start, "trigger")
        case "scope": return (.start, "location")
        case "preset":
            let option = apiField.dropFirst("preset.".count)
            return option.isEmpty || option == "name" ? (.start, "template") : (.options, "option.\(option)")
        case "template": return mode == .create ? (extractsFields ? .fields : .start, extractsFields ? "mapping" : "template_example") : (.start, "template")
        case "example": return (.start, "template_example")
        case "mapping": return (.fields, "map.\(apiField.dropFirst("mapping.".count))")
        case "format": return (.start, "template_type")
        case "group": return (.start, "template_group")
        case "headers": return (.advanced, "headers")
        case "success_codes": return (.advanced, "success_code")
        case "method": return (.advanced, "method")
        case "hold": return (.advanced, "hold")
        default: return (.summary, apiField)
        }
    }

    /// The template object's body for `TemplatesController.read` (create mode).
    var templateBody: JSONValue {
        var object: JSONObject = ["name": .string(templateName), "format": .string(templateType)]
        if !templateGroup.isEmpty { object["group"] = .string(templateGroup) }
        if extractsFields {
            object["example"] = .string(templateExample)
            object["mapping"] = .object(JSONObject(mapping.filter { !$0.value.isEmpty }.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }))
        } else {
            object["body"] = .string(templateExample)
        }
        return .object(object)
    }

    /// The API body of the webhook; `template` is the created template, inline until it is saved.
    func webhookBody(template created: JSONValue?) throws(FieldError) -> JSONValue {
        var object: JSONObject = [
            "name": .string(name), "url": .string(url), "triggers": .array(triggers.map(JSONValue.string)),
            "headers": .object(JSONObject(headers.map { ($0.name, .string($0.value)) })), "hold": try hold.json(),
        ]
        if let preset {
            var choice: JSONObject = ["name": .string(preset.name)]
            for option in preset.options {
                guard let text = presetOptions[option.name], !text.isEmpty else { continue }
                choice[option.name] = option.kind == .boolean ? .bool(text == "true") : .string(text)
            }
            object["preset"] = .object(choice)
        } else {
            object["method"] = .string(method)
            if let id = storedTemplateID {
                object["template"] = ["id": .string(id)]
            } else if let created {
                object["template"] = created
            }
        }
        object["success_codes"] = try SuccessCodesText.json(successCode == "other" ? successOther : successCode, field: "success_codes")
        if let location { object["scope"] = ["locations": [.string(location)]] }
        return .object(object)
    }
}
