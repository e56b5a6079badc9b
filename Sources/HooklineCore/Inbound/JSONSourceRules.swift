/// How a `json` source reads a tracker's own JSON: built from an example of its payload, the way
/// templates are, with each field mapped to a token, the path that holds the call's or lead's id,
/// and rules saying which event a payload is.
///
/// As options: `{"example": "<the pasted payload>", "mapping": {"$.caller.phone": "ani", …},
/// "id_path": "$.call_id", "event_path": "$.event", "events": {"call_started": "call.begin",
/// "*": "call.end"}}`. `*` names the event of any other value; without `event_path` it is the
/// only rule, and every payload is that event.
public struct JSONSourceRules: Sendable, Equatable {
    public struct Mapping: Sendable, Equatable {
        public var path: JSONPath
        public var token: String
    }

    /// The rule for a value no other rule names.
    public static let otherValues = "*"
    public static let optionNames: Set<String> = ["example", "mapping", "id_path", "event_path", "events"]

    public var example: String
    public var mapping: [Mapping]
    public var idPath: JSONPath
    public var eventPath: JSONPath?
    public var events: [String: EventKind]

    /// The rules in a source's options, each checked against the example; mistakes name the
    /// option (`options.mapping.$.a`, `options.events.x`). What only a json source requires is
    /// unusable rather than malformed: the API document cannot say it per kind.
    public init(options: JSONObject, catalogue: TokenCatalogue = .standard) throws(FieldError) {
        for name in options.keys where !Self.optionNames.contains(name) {
            throw FieldError("options.\(name)", "unknown option of json; it has \(Self.optionNames.sorted().joined(separator: ", "))", kind: .unusable)
        }
        let example = try Example(options["example"])
        let mapping = try Self.readMapping(options["mapping"], example: example, catalogue: catalogue)
        guard let idText = options["id_path"]?.stringValue else {
            throw FieldError("options.id_path", "is required: the path of the call's or lead's id, such as $.call_id", kind: .unusable)
        }
        let idPath = try example.path(idText, option: "options.id_path")
        guard SubjectKind.id(idPath.value(in: example.document)) != nil else {
            throw FieldError("options.id_path", "must lead to \(SubjectKind.idRule) in the example", kind: .unusable)
        }
        var eventPath: JSONPath?
        if let given = options["event_path"], !given.isNull {
            guard let text = given.stringValue else { throw FieldError("options.event_path", "must be a JSON path such as $.event, not \(given.typeName)") }
            let found = try example.path(text, option: "options.event_path")
            guard Self.text(found.value(in: example.document)) != nil else {
                throw FieldError("options.event_path", "must lead to a string or a whole number in the example: the name of the event", kind: .unusable)
            }
            eventPath = found
        }
        self.example = example.text
        self.mapping = mapping
        self.idPath = idPath
        self.eventPath = eventPath
        self.events = try Self.readEvents(options["events"], hasEventPath: eventPath != nil)
    }

    /// The example a source's rules are checked against: every path must lead somewhere in it.
    struct Example {
        let text: String
        let document: JSONValue

        init(_ value: JSONValue?) throws(FieldError) {
            guard let text = value?.stringValue, !text.isEmpty else {
                throw FieldError("options.example", "is required: an example of the JSON the tracker sends, as a string", kind: .unusable)
            }
            do {
                document = try JSONParser.parse(text)
            } catch {
                throw FieldError("options.example", "is not JSON: \(error.message) at line \(error.line), column \(error.column)", kind: .unusable)
            }
            guard document.objectValue != nil else { throw FieldError("options.example", "must be a JSON object, not \(document.typeName)", kind: .unusable) }
            self.text = text
        }

        func path(_ text: String, option: String) throws(FieldError) -> JSONPath {
            let path: JSONPath
            do {
                path = try JSONPath(parsing: text)
            } catch {
                throw FieldError(option, error.description, kind: .unusable)
            }
            guard path.value(in: document) != nil else {
                // Listed only here: rules are read again on every request a source receives.
                let fields = (try? TemplateExtraction.fields(of: self.text, format: .json)) ?? []
                throw FieldError(option, "'\(Echo.quoted(text))' is not in the example; its fields are \(fields.prefix(20).map(\.path).joined(separator: ", "))", kind: .unusable)
            }
            return path
        }
    }

    static func readMapping(_ given: JSONValue?, example: Example, catalogue: TokenCatalogue) throws(FieldError) -> [Mapping] {
        guard let given, !given.isNull else { return [] }
        guard let object = given.objectValue else { throw FieldError("options.mapping", "must be an object of JSON paths to token names") }
        var mapping: [Mapping] = []
        for (text, tokenValue) in object {
            let option = "options.mapping.\(text)"
            let fieldPath = try example.path(text, option: option)
            guard let name = tokenValue.stringValue else { throw FieldError(option, "must be a token name, not \(tokenValue.typeName)") }
            guard let token = catalogue[name] else { throw FieldError(option, catalogue.unknownTokenMessage(name), kind: .unusable) }
            guard token.category != .source else { throw FieldError(option, "'\(name)' holds the fields no token is mapped to; it cannot be mapped", kind: .unusable) }
            if let earlier = mapping.first(where: { $0.token == name }) {
                throw FieldError(option, "'\(name)' is already mapped from \(earlier.path); a token takes one field", kind: .unusable)
            }
            mapping.append(Mapping(path: fieldPath, token: name))
        }
        return mapping
    }

    static func readEvents(_ given: JSONValue?, hasEventPath: Bool) throws(FieldError) -> [String: EventKind] {
        guard let rules = given?.objectValue, !rules.isEmpty else {
            throw FieldError(
                "options.events",
                "is required: an object of the event field's values to event kinds (\(EventKind.reported.map(\.rawValue).joined(separator: ", "))), \"*\" for any other value",
                kind: .unusable)
        }
        var events: [String: EventKind] = [:]
        for (value, kindValue) in rules {
            let option = "options.events.\(value)"
            guard let kind = kindValue.stringValue.flatMap(EventKind.init(rawValue:)), EventKind.reported.contains(kind) else {
                throw FieldError(option, "must be one of \(EventKind.reported.map(\.rawValue).joined(separator: ", "))")
            }
            if !hasEventPath, value != Self.otherValues {
                throw FieldError(option, "needs event_path, the field whose value it names; without one, the only rule is \"*\"", kind: .unusable)
            }
            events[value] = kind
        }
        return events
    }

    /// The rules as options, to store and to show.
    public var options: JSONObject {
        var options: JSONObject = [
            "example": .string(example),
            "mapping": .object(JSONObject(mapping.map { ($0.path.description, .string($0.token)) })),
            "id_path": .string(idPath.description),
            "events": .object(JSONObject(events.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value.rawValue)) })),
        ]
        if let eventPath { options["event_path"] = .string(eventPath.description) }
        return options
    }

    /// An event's name as text: strings as they are, whole numbers written out.
    static func text(_ value: JSONValue?) -> String? {
        switch value {
        case .string(let text) where !text.isEmpty: text
        case .integer(let number): String(number)
        default: nil
        }
    }
}
