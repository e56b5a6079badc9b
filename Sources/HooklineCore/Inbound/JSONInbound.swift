/// Any tracker's JSON in, read by a source's `JSONSourceRules`. Mapped fields land on their
/// tokens, checked as ingest checks them; every other field is kept on the event in
/// `source_fields`, the payload as sent without what was mapped, never refused (so it is never
/// larger than the payload). A call's end begins the call first when its begin never came, as
/// Roistat's does.
enum JSONInbound {
    static func events(_ request: InboundRequest, rules: JSONSourceRules, validator: TokenValidator) throws(InboundRefusal) -> [InboundEvent] {
        let body: JSONValue
        do {
            body = try JSONParser.parse(request.body)
        } catch {
            throw .unreadable(FieldError("body", "is not JSON: \(error.message) at line \(error.line), column \(error.column)"))
        }
        guard body.objectValue != nil else { throw .unreadable(FieldError("body", "must be a JSON object, not \(body.typeName)")) }

        let kind = try Self.kind(of: body, rules: rules)
        guard let subjectID = SubjectKind.id(rules.idPath.value(in: body)) else {
            throw .unreadable(FieldError(rules.idPath.description, "is required: the \(kind.subject.rawValue)'s id, \(SubjectKind.idRule)"))
        }
        let unmapped = Self.unmapped(body, rules: rules)
        let kinds: [EventKind] = kind == .callEnd ? [.callBegin, .callEnd] : [kind]
        var events: [InboundEvent] = []
        for kind in kinds {
            var values = try Self.mapped(body, rules: rules, for: kind, validator: validator)
            // Only on the event the payload is, not on a begin made up for it: stored once.
            if kind == kinds.last, let unmapped { values["source_fields"] = unmapped }
            switch kind {
            case .callBegin: values["callid"] = .string(subjectID)
            case .leadCreated, .leadMessage: values["lead_id"] = .string(subjectID)
            case .callEnd, .callUpdated, .callConverted, .leadUpdated, .webhookFailing, .webhookRecovered, .webhookDisabled, .deliveryDead: break
            }
            events.append(InboundEvent(kind: kind, subjectID: subjectID, values: values))
        }
        return events
    }

    /// The event the payload is: the rule for its event field's value, else the rule for other values.
    static func kind(of body: JSONValue, rules: JSONSourceRules) throws(InboundRefusal) -> EventKind {
        guard let eventPath = rules.eventPath else {
            guard let kind = rules.events[JSONSourceRules.otherValues] else { throw .unreadable(FieldError("events", "this source has no rule for its payloads")) }
            return kind
        }
        let name = JSONSourceRules.text(eventPath.value(in: body))
        if let name, let kind = rules.events[name] { return kind }
        if let kind = rules.events[JSONSourceRules.otherValues] { return kind }
        let named = rules.events.keys.sorted().map { "'\(Echo.quoted($0))'" }.joined(separator: ", ")
        guard let name else { throw .unreadable(FieldError(eventPath.description, "is required: it says which event this is (\(named))")) }
        throw .unreadable(FieldError(eventPath.description, "is '\(Echo.quoted(name))', which no rule of this source names; its rules name \(named)"))
    }

    /// The mapped fields a kind of event takes, typed and checked as their tokens say; text sent for
    /// a number or a list is read as the form sources read it.
    static func mapped(_ body: JSONValue, rules: JSONSourceRules, for kind: EventKind, validator: TokenValidator) throws(InboundRefusal) -> JSONObject {
        var values = JSONObject()
        for mapping in rules.mapping {
            guard let token = validator.catalogue[mapping.token], kind.acceptedCategories.contains(token.category),
                let value = mapping.path.value(in: body), !value.isNull
            else { continue }
            var given = value
            if case .string(let text) = value, token.type != .string {
                guard let typed = TextValues.typed(text, token: token.name, catalogue: validator.catalogue) else { continue }
                given = typed
            }
            do {
                values[token.name] = try validator.normalize(given, for: token)
            } catch {
                throw .unreadable(FieldError(mapping.path.description, "(\(token.name)) \(error.message)"))
            }
        }
        return values
    }

    /// The payload without the fields a mapping, the id or the event path covers, in its own
    /// shape: objects lose those keys (and keys left empty by it), array elements left empty become
    /// null so the others keep their index. nil when nothing is left. Linear in the payload.
    static func unmapped(_ body: JSONValue, rules: JSONSourceRules) -> JSONValue? {
        let used = rules.mapping.map(\.path.steps) + [rules.idPath.steps] + (rules.eventPath.map { [$0.steps] } ?? [])
        return pruned(body, removing: used[...])
    }

    /// `value` without the paths in `paths` (each relative to it); nil when it was all removed.
    private static func pruned(_ value: JSONValue, removing paths: ArraySlice<[JSONPath.Step]>) -> JSONValue? {
        if paths.isEmpty { return value }
        if paths.contains(where: \.isEmpty) { return nil }
        func below(_ step: JSONPath.Step) -> ArraySlice<[JSONPath.Step]> {
            paths.filter { $0.first == step }.map { Array($0.dropFirst()) }[...]
        }
        switch value {
        case .object(let object):
            var kept = JSONObject()
            for (key, element) in object {
                let inner = below(.key(key))
                guard let element = inner.isEmpty ? element : pruned(element, removing: inner) else { continue }
                kept[key] = element
            }
            return kept.isEmpty && !object.isEmpty ? nil : .object(kept)
        case .array(let elements):
            let kept = elements.enumerated().map { index, element in
                let inner = below(.index(index))
                return inner.isEmpty ? element : pruned(element, removing: inner) ?? .null
            }
            return kept.allSatisfy(\.isNull) && !elements.isEmpty && elements.contains(where: { !$0.isNull }) ? nil : .array(kept)
        default:
            return value
        }
    }
}
