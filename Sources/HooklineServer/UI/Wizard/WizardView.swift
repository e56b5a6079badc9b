import HooklineCore

/// What the wizard's page shows of a `WebhookWizard`: the current step's fields with their
/// choices and mistakes (one of the step views; the others are nil), and every other choice as
/// hidden inputs.
struct WizardView {
    struct Progress {
        let number: Int
        let name: String
        let current: Bool
    }

    struct StartStep {
        struct TemplateGroup {
            let group: String
            let templates: [TemplateChoice]
        }

        struct TemplateChoice {
            let value, name, format: String
            let selected: Bool
        }

        struct PresetChoice {
            let value, name, summary: String
            let selected: Bool
        }

        let existing, create: Bool
        let name, url: String
        let triggers: [Check]
        let templateGroups: [TemplateGroup]
        let presets: [PresetChoice]
        let templateName, templateGroup: String
        let knownGroups: [String]
        let types: [LabeledOption]
        let templateExample: String
    }

    struct OptionsStep {
        struct Option {
            let name, field, description, value: String
            let required, secret, boolean, checked: Bool
            let error: String?
        }

        let presetName: String
        let options: [Option]
    }

    struct MappingStep {
        let fields: [FieldChoice]
    }

    struct AdvancedStep {
        let headers: [NameValue]
        let successChoices: [LabeledOption]
        let successOther: String
        let presetMethod: String?
        let methods: [ValueOption]
        let hold: HoldChoice.View
    }

    struct SummaryStep {
        struct Row {
            let label, value: String
        }

        let rows: [Row]
        let problems: [String]
    }

    let errors: FormErrors
    let step: String
    let progress: [Progress]
    let canGoBack: Bool
    let hidden: [NameValue]
    let location: String?
    var start: StartStep?
    var presetOptions: OptionsStep?
    var mapping: MappingStep?
    var advanced: AdvancedStep?
    var summary: SummaryStep?

    init(wizard: WebhookWizard, errors: FormErrors, templates: [StoredTemplate]) {
        self.errors = errors
        step = wizard.step.rawValue
        progress = wizard.steps.enumerated().map { index, step in Progress(number: index + 1, name: Self.stepNames[step] ?? step.rawValue, current: step == wizard.step) }
        canGoBack = wizard.step != .start
        location = wizard.location
        let shown: Set<String>
        switch wizard.step {
        case .start:
            shown = ["mode", "name", "url", "trigger", "template", "template_name", "template_group", "template_type", "template_example"]
            start = Self.start(wizard, templates: templates)
        case .options:
            let options = wizard.preset?.options ?? []
            shown = Set(options.map { "option.\($0.name)" })
            presetOptions = OptionsStep(
                presetName: wizard.preset?.name ?? "",
                options: options.map { option in
                    let value = wizard.presetOptions[option.name] ?? option.defaultValue.map { $0.stringValue ?? $0.jsonText } ?? ""
                    return OptionsStep.Option(
                        name: option.name, field: "option.\(option.name)", description: option.description, value: value, required: option.required,
                        secret: option.secret, boolean: option.kind == .boolean, checked: value == "true", error: errors["option.\(option.name)"])
                })
        case .fields:
            let fields = wizard.format.flatMap { format in try? TemplateExtraction.fields(of: wizard.templateExample, format: format) } ?? []
            shown = Set(wizard.mapping.keys.map { "map.\($0)" }).union(fields.map { "map.\($0.path)" })
            mapping = MappingStep(fields: fields.map { FieldChoice($0, chosen: wizard.mapping[$0.path] ?? "", error: errors["map.\($0.path)"]) })
        case .advanced:
            shown = ["header_name", "header_value", "success_code", "success_other", "method", "hold", "hold_minutes", "hold_token"]
            let rows = wizard.headers.isEmpty ? [("", "")] : wizard.headers
            advanced = AdvancedStep(
                headers: rows.map { NameValue(name: $0.0, value: $0.1) },
                successChoices: (WebhookWizard.successChoices + ["other"]).map { LabeledOption(value: $0, label: $0 == "other" ? "others…" : $0, selected: wizard.successCode == $0) },
                successOther: wizard.successOther, presetMethod: wizard.preset?.method.rawValue,
                methods: WebhookMethod.allCases.map { ValueOption(value: $0.rawValue, selected: wizard.method == $0.rawValue) }, hold: wizard.hold.view)
        case .summary:
            shown = []
            summary = SummaryStep(
                rows: Self.summary(wizard, templates: templates).map { SummaryStep.Row(label: $0.0, value: $0.1) },
                problems: errors.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" })
        }
        hidden = Self.hidden(wizard, except: shown)
    }

    private static func start(_ wizard: WebhookWizard, templates: [StoredTemplate]) -> StartStep {
        let groups = Dictionary(grouping: templates) { $0.group ?? "No group" }
        return StartStep(
            existing: wizard.mode == .existing, create: wizard.mode == .create, name: wizard.name, url: wizard.url,
            triggers: EventKind.reported.map { Check(value: $0.rawValue, checked: wizard.triggers.contains($0.rawValue)) },
            templateGroups: groups.keys.sorted().map { group in
                StartStep.TemplateGroup(
                    group: group,
                    templates: groups[group, default: []].map {
                        StartStep.TemplateChoice(value: "tpl:\($0.id)", name: $0.name, format: $0.template.format.rawValue, selected: wizard.template == "tpl:\($0.id)")
                    })
            },
            presets: Preset.all.map { StartStep.PresetChoice(value: "preset:\($0.name)", name: $0.name, summary: $0.summary, selected: wizard.template == "preset:\($0.name)") },
            templateName: wizard.templateName, templateGroup: wizard.templateGroup, knownGroups: Set(templates.compactMap(\.group)).sorted(),
            types: TemplateFormat.allCases.map { LabeledOption(value: $0.rawValue, label: Self.typeNames[$0] ?? $0.rawValue, selected: wizard.templateType == $0.rawValue) },
            templateExample: wizard.templateExample)
    }

    static let stepNames: [WebhookWizard.Step: String] = [
        .start: "Webhook", .options: "Preset options", .fields: "Fields", .advanced: "Advanced settings", .summary: "Summary",
    ]
    static let typeNames: [TemplateFormat: String] = [.json: "JSON", .xml: "XML", .form: "Form (x-www-form-urlencoded)", .query: "Query (GET)"]

    /// Every choice not on the current step, so the next post carries it.
    static func hidden(_ wizard: WebhookWizard, except shown: Set<String>) -> [NameValue] {
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
        pairs += wizard.hold.hidden
        return pairs.filter { !shown.contains($0.0) }.map { NameValue(name: $0.0, value: $0.1) }
    }

    static func summary(_ wizard: WebhookWizard, templates: [StoredTemplate]) -> [(String, String)] {
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
        if wizard.hold.on { rows.append(("Wait for the recording", "\(wizard.hold.view.waitsFor), up to \(wizard.hold.minutes) minutes")) }
        return rows
    }
}
