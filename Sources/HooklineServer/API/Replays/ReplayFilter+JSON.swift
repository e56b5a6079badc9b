import HooklineCore

/// A bulk replay's filter as the API reads and shows it. Every mistake names its field.
extension ReplayFilter {
    static let fieldNames: Set<String> = ["webhook_id", "status", "kinds", "from", "to", "subject_ids", "dry_run"]

    /// Reads the body of `POST /v1/replays` (its `dry_run` is read by the controller).
    init(_ body: JSONValue) throws(FieldError) {
        let reader = try ObjectReader(body, fields: Self.fieldNames, subject: "a replay")
        let object = reader.object
        var webhookID: String?
        if let value = object["webhook_id"], !value.isNull {
            guard let id = value.stringValue, !id.isEmpty, id.count <= 200 else { throw FieldError("webhook_id", "must be a webhook's id") }
            webhookID = id
        }
        let outcomes = try Self.list(object["status"], "status", default: [Outcome.dead]) { text in Outcome(rawValue: text) }
        guard !outcomes.isEmpty else { throw FieldError("status", "must list at least one of dead, failed, delivered") }
        let kinds = try Self.list(object["kinds"], "kinds", default: []) { text in EventKind(rawValue: text) }
        let from = try Timestamp.read(object["from"], field: "from")
        let to = try Timestamp.read(object["to"], field: "to")
        if let from, let to, to <= from { throw FieldError("to", "must be after from", kind: .unusable) }
        let subjectIDs = try Self.subjects(object["subject_ids"])
        self.init(webhookID: webhookID, outcomes: outcomes, kinds: kinds, from: from, to: to, subjectIDs: subjectIDs)
    }

    /// A list of names each `make` knows, without repeats, in the order given.
    private static func list<T: Equatable & RawRepresentable<String>>(
        _ value: JSONValue?, _ field: String, default fallback: [T], _ make: (String) -> T?
    ) throws(FieldError) -> [T] {
        guard let value, !value.isNull else { return fallback }
        guard let items = value.arrayValue, items.count <= 32 else { throw FieldError(field, "must be an array of names") }
        var listed: [T] = []
        for (index, item) in items.enumerated() {
            guard let text = item.stringValue, let known = make(text) else { throw FieldError("\(field)[\(index)]", "is not a known name") }
            if !listed.contains(known) { listed.append(known) }
        }
        return listed
    }

    private static func subjects(_ value: JSONValue?) throws(FieldError) -> [String] {
        guard let value, !value.isNull else { return [] }
        guard let items = value.arrayValue, items.count <= mostSubjects else {
            throw FieldError("subject_ids", "must be an array of at most \(mostSubjects) call or lead ids")
        }
        var ids: [String] = []
        for (index, item) in items.enumerated() {
            guard let id = SubjectKind.id(item) else { throw FieldError("subject_ids[\(index)]", "must be a call or lead id") }
            if !ids.contains(id) { ids.append(id) }
        }
        return ids
    }

    var json: JSONObject {
        [
            "webhook_id": JSONValue(webhookID), "status": .array(outcomes.map { .string($0.rawValue) }),
            "kinds": .array(kinds.map { .string($0.rawValue) }), "from": from.json, "to": to.json,
            "subject_ids": .array(subjectIDs.map(JSONValue.string)),
        ]
    }
}

extension ReplayJob {
    var json: JSONObject {
        [
            "id": .string(id), "status": .string(status.rawValue), "total": .integer(Int64(total)), "replayed": .integer(Int64(replayed)),
            "filter": .object(filter.json), "created_at": createdAt.json, "updated_at": updatedAt.json,
        ]
    }
}
