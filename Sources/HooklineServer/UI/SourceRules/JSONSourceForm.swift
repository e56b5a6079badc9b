import HooklineCore

/// The Sources page's second step for a `json` source: the example's fields, each with a token to
/// land on, the id's field, the event's field and which of its values means which event. It reads
/// the posted form into the options the API takes, and says beside which input each of the
/// API's errors belongs.
struct JSONSourceForm {
    var example: String
    var mapping: [String: String]
    var idPath: String
    var eventPath: String
    /// Per event kind, the event field's values that mean it, as typed (comma-separated).
    var values: [EventKind: String]
    /// The event of any other value; empty to refuse such payloads.
    var otherKind: String

    init(_ form: FormFields) {
        example = form["example"] ?? ""
        mapping = [:]
        for (name, chosen) in form.values where name.hasPrefix("map.") {
            if let token = chosen.first, !token.isEmpty { mapping[String(name.dropFirst("map.".count))] = token }
        }
        idPath = form["id_path"] ?? ""
        eventPath = form["event_path"] ?? ""
        values = Dictionary(uniqueKeysWithValues: EventKind.reported.map { ($0, form["rule.\($0.rawValue)"] ?? "") })
        otherKind = form["rule.other"] ?? ""
    }

    /// Whether the post comes from the rules step (else it is the first, with the example only).
    static func isRulesStep(_ form: FormFields) -> Bool { form["step"] == "rules" }

    /// The example's fields, or the error to show beside it.
    func fields() -> Result<[TemplateExtraction.Field], FieldError> {
        do throws(TemplateError) {
            let fields = try TemplateExtraction.fields(of: example, format: .json)
            guard (try? JSONParser.parse(example))?.objectValue != nil else { return .failure(FieldError("example", "must be a JSON object: the whole payload the tracker posts")) }
            return .success(fields)
        } catch {
            return .failure(FieldError("example", error.description))
        }
    }

    /// The options the API takes; a value listed under two events is an error beside the second.
    func options() throws(FieldError) -> JSONObject {
        var events = JSONObject()
        for kind in EventKind.reported {
            for value in (values[kind] ?? "").split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !value.isEmpty {
                if let earlier = events[value]?.stringValue { throw FieldError("rule.\(kind.rawValue)", "'\(value)' already means \(earlier)") }
                events[value] = .string(kind.rawValue)
            }
        }
        if !otherKind.isEmpty { events[JSONSourceRules.otherValues] = .string(otherKind) }
        var options: JSONObject = [
            "example": .string(example), "mapping": .object(JSONObject(mapping.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })),
            "events": .object(events),
        ]
        if !idPath.isEmpty { options["id_path"] = .string(idPath) }
        if !eventPath.isEmpty { options["event_path"] = .string(eventPath) }
        return options
    }

    /// The input an API error belongs beside.
    func input(for error: FieldError) -> String {
        let field = error.field.hasPrefix("options.") ? String(error.field.dropFirst("options.".count)) : error.field
        if field.hasPrefix("mapping.") { return "map." + field.dropFirst("mapping.".count) }
        if field.hasPrefix("events.") {
            let value = String(field.dropFirst("events.".count))
            if value == JSONSourceRules.otherValues { return "rule.other" }
            return EventKind.reported.first { kind in (values[kind] ?? "").split(separator: ",").contains { $0.trimmingCharacters(in: .whitespaces) == value } }
                .map { "rule.\($0.rawValue)" } ?? "rules"
        }
        return field == "events" ? "rules" : field
    }

    /// What the rules step shows: the fields with their chosen tokens, the paths to pick the id and
    /// the event from, and the rules as typed.
    func view(fields: [TemplateExtraction.Field], errors: FormErrors) -> JSONRulesView {
        let paths = fields.map(\.path)
        // Before anything is chosen, the fields most trackers name so.
        func named(_ names: Set<String>) -> String {
            paths.first { path in names.contains(where: { path.lowercased().hasSuffix(".\($0)") }) } ?? ""
        }
        let idPath = errors.isEmpty && self.idPath.isEmpty ? named(["id", "call_id", "callid", "lead_id"]) : self.idPath
        let eventPath = errors.isEmpty && self.eventPath.isEmpty ? named(["event", "type", "event_type", "status"]) : self.eventPath
        return JSONRulesView(
            example: example,
            fields: fields.map { FieldChoice($0, chosen: mapping[$0.path] ?? "", error: errors["map.\($0.path)"], excluding: [.source]) },
            idPaths: paths.map { JSONRulesView.PathOption(path: $0, selected: $0 == idPath) },
            eventPaths: paths.map { JSONRulesView.PathOption(path: $0, selected: $0 == eventPath) },
            rules: EventKind.reported.map { kind in
                JSONRulesView.Rule(kind: kind.rawValue, input: "rule.\(kind.rawValue)", value: values[kind] ?? "", error: errors["rule.\(kind.rawValue)"])
            },
            otherKinds: EventKind.reported.map { JSONRulesView.KindOption(kind: $0.rawValue, selected: $0.rawValue == otherKind) },
            otherError: errors["rule.other"])
    }
}
