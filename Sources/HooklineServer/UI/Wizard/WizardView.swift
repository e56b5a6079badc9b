import HooklineCore

/// What the wizard's page shows of a `WebhookWizard`: the current step's fields with their
/// choices and mistakes, and every other choice as hidden inputs.
struct WizardView {
    let values: [String: Any]

    init(wizard: WebhookWizard, errors: [String: String], templates: [StoredTemplate]) {
        var values: [String: Any] = ["errors": errors, "step_" + wizard.step.rawValue: true, "step": wizard.step.rawValue]
        let steps = wizard.steps
        values["progress"] = steps.enumerated().map { index, step in
            ["number": index + 1, "name": Self.stepNames[step] ?? step.rawValue, "current": step == wizard.step]
        }
        values["canGoBack"] = wizard.step != .start
        var shown: Set<String> = []
        switch wizard.step {
        case .start:
            shown = ["mode", "name", "url", "trigger", "template", "template_name", "template_group", "template_type", "template_example"]
            values["existing"] = wizard.mode == .existing
            values["create"] = wizard.mode == .create
            values["name"] = wizard.name
            values["url"] = wizard.url
            values["triggers"] = EventKind.allCases.map { ["value": $0.rawValue, "checked": wizard.triggers.contains($0.rawValue)] }
            let groups = Dictionary(grouping: templates) { $0.group ?? "No group" }
            values["templateGroups"] = groups.keys.sorted().map { group in
                ["group": group, "templates": groups[group, default: []].map { ["value": "tpl:\($0.id)", "name": $0.name, "format": $0.template.format.rawValue, "selected": wizard.template == "tpl:\($0.id)"] }]
            }
            values["presets"] = Preset.all.map { ["value": "preset:\($0.name)", "name": $0.name, "summary": $0.summary, "selected": wizard.template == "preset:\($0.name)"] }
            values["templateName"] = wizard.templateName
            values["templateGroup"] = wizard.templateGroup
            values["knownGroups"] = Set(templates.compactMap(\.group)).sorted()
            values["types"] = TemplateFormat.allCases.map { ["value": $0.rawValue, "label": Self.typeNames[$0] ?? $0.rawValue, "selected": wizard.templateType == $0.rawValue] }
            values["templateExample"] = wizard.templateExample
        case .options:
            shown = Set((wizard.preset?.options ?? []).map { "option.\($0.name)" })
            values["presetName"] = wizard.preset?.name ?? ""
            values["options"] = (wizard.preset?.options ?? []).map { option -> [String: Any] in
                let value = wizard.presetOptions[option.name] ?? option.defaultValue.map { $0.stringValue ?? $0.jsonText } ?? ""
                return [
                    "name": option.name, "field": "option.\(option.name)", "description": option.description, "required": option.required,
                    "secret": option.secret, "boolean": option.kind == .boolean, "value": value, "checked": value == "true",
                    "error": errors["option.\(option.name)"] ?? "",
                ]
            }
        case .fields:
            shown = Set(wizard.mapping.keys.map { "map.\($0)" })
            let fields = wizard.format.flatMap { format in try? TemplateExtraction.fields(of: wizard.templateExample, format: format) } ?? []
            shown.formUnion(fields.map { "map.\($0.path)" })
            values["fields"] = fields.map { field -> [String: Any] in
                let chosen = wizard.mapping[field.path] ?? ""
                return [
                    "path": field.path, "input": "map.\(field.path)", "sample": field.sample.stringValue ?? field.sample.jsonText,
                    "error": errors["map.\(field.path)"] ?? "",
                    "categories": Self.tokenChoices(selected: chosen),
                ]
            }
        case .advanced:
            shown = ["header_name", "header_value", "success_code", "success_other", "method"]
            let rows = wizard.headers.isEmpty ? [("", "")] : wizard.headers
            values["headers"] = rows.map { ["name": $0.0, "value": $0.1] }
            values["successChoices"] = (WebhookWizard.successChoices + ["other"]).map { ["value": $0, "label": $0 == "other" ? "others…" : $0, "selected": wizard.successCode == $0] }
            values["successOther"] = wizard.successOther
            values["presetMethod"] = wizard.preset?.method.rawValue ?? ""
            values["methods"] = ["POST", "PUT", "GET"].map { ["value": $0, "selected": wizard.method == $0] }
        case .summary:
            values["summary"] = Self.summary(wizard, templates: templates)
            values["summaryErrors"] = errors.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }
        }
        values["hidden"] = Self.hidden(wizard, except: shown)
        values["location"] = wizard.location ?? ""
        self.values = values
    }

    static let stepNames: [WebhookWizard.Step: String] = [
        .start: "Webhook", .options: "Preset options", .fields: "Fields", .advanced: "Advanced settings", .summary: "Summary",
    ]
    static let typeNames: [TemplateFormat: String] = [.json: "JSON", .xml: "XML", .form: "Form (x-www-form-urlencoded)", .query: "Query (GET)"]

    /// The catalogue's tokens by category, for a field's dropdown.
    static func tokenChoices(selected: String, excluding: Set<TokenCategory> = []) -> [[String: Any]] {
        TokenCategory.allCases.filter { !excluding.contains($0) }.compactMap { category in
            let tokens = TokenCatalogue.standard.tokens(in: category)
            guard !tokens.isEmpty else { return nil }
            return [
                "category": category.rawValue,
                "tokens": tokens.map { token -> [String: Any] in
                    let example = token.example.stringValue ?? token.example.jsonText
                    return ["name": token.name, "label": "\(token.name): \(token.description)\(example.isEmpty ? "" : " (e.g. \(example))")", "selected": token.name == selected]
                },
            ]
        }
    }

    /// Every choice not on the current step, so the next post carries it.
    static func hidden(_ wizard: WebhookWizard, except shown: Set<String>) -> [[String: String]] {
        var pairs: [(String, String)] = [("mode", wizard.mode.rawValue), ("name", wizard.name), ("url", wizard.url)]
        pairs += wizard.triggers.map { ("trigger", $0) }
        pairs += [
            ("template", wizard.template), ("template_name", wizard.templateName), ("template_group", wizard.templateGroup),
            ("template_type", wizard.templateType), ("template_example", wizard.templateExample),
        ]
        pairs += wizard.presetOptions.sorted { $0.key < $1.key }.map { ("option.\($0.key)", $0.value) }
        pairs += wizard.mapping.sorted { $0.key < $1.key }.map { ("map.\($0.key)", $0.value) }
        for header in wizard.headers { pairs += [("header_name", header.name), ("header_value", header.value)] }
        pairs += [("success_code", wizard.successCode), ("success_other", wizard.successOther), ("method", wizard.method)]
        return pairs.filter { !shown.contains($0.0) }.map { ["name": $0.0, "value": $0.1] }
    }

    static func summary(_ wizard: WebhookWizard, templates: [StoredTemplate]) -> [[String: String]] {
        var rows: [(String, String)] = [("Webhook Name", wizard.name), ("URL", Redaction.redacted(url: wizard.url)), ("Send on", wizard.triggers.joined(separator: ", "))]
        if let location = wizard.location { rows.append(("Location", location)) }
        switch wizard.mode {
        case .existing:
            if let preset = wizard.preset {
                rows.append(("Template", "preset \(preset.name)"))
                for option in preset.options {
                    guard let value = wizard.presetOptions[option.name], !value.isEmpty else { continue }
                    rows.append((option.name, option.secret ? Redaction.placeholder : value))
                }
            } else {
                rows.append(("Template", templates.first { "tpl:\($0.id)" == wizard.template }?.name ?? wizard.template))
            }
        case .create:
            rows += [("Template Name", wizard.templateName), ("Template Group", wizard.templateGroup.isEmpty ? "none" : wizard.templateGroup),
                     ("Template Type", typeNames[wizard.format ?? .json] ?? wizard.templateType)]
            rows += wizard.mapping.filter { !$0.value.isEmpty }.sorted { $0.key < $1.key }.map { ("Field \($0.key)", "%\($0.value)%") }
        }
        rows += wizard.headers.map { ("Header \($0.name)", Redaction.isSecret(headerName: $0.name) ? Redaction.placeholder : $0.value) }
        rows.append(("Success response code", wizard.successCode == "other" ? wizard.successOther : wizard.successCode))
        rows.append(("HTTP Method", wizard.preset?.method.rawValue ?? wizard.method))
        return rows.map { ["label": $0.0, "value": $0.1] }
    }
}
