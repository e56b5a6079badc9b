import HooklineCore
import HooklineStore

extension IngestReceipt {
    var json: JSONObject {
        var object: JSONObject = ["id": .string(id)]
        if kind == .leadMessage { object["lead_id"] = .string(subjectID) }
        if kind == .callConverted { object["call_id"] = .string(subjectID) }
        object["event_id"] = JSONValue(eventID)
        object["kind"] = .string(kind.rawValue)
        object["received_at"] = receivedAt.json
        object["deliveries"] = .array(deliveryIDs.map(JSONValue.string))
        if let changedFields { object["changed_fields"] = .array(changedFields.map(JSONValue.string)) }
        if let version { object["version"] = .integer(Int64(version)) }
        return object
    }
}

extension Call {
    var json: JSONObject {
        [
            "id": .string(id),
            "status": .string(endedAt == nil ? "in_progress" : "ended"),
            "started_at": startedAt.json,
            "ended_at": endedAt.json,
            "campaign": JSONValue(routing.campaignID),
            "location": JSONValue(routing.locationID),
            "source": JSONValue(routing.sourceID),
            "values": .object(values),
            "captured": .object(captured),
            "version": .integer(Int64(version)),
        ]
    }
}

extension Lead {
    var json: JSONObject {
        [
            "id": .string(id), "created_at": createdAt.json, "message_count": .integer(Int64(messageCount)),
            "campaign": JSONValue(routing.campaignID), "location": JSONValue(routing.locationID), "source": JSONValue(routing.sourceID),
            "values": .object(values),
            "captured": .object(captured),
            "version": .integer(Int64(version)),
        ]
    }
}

extension SubjectEvent {
    var json: JSONObject {
        [
            "id": .string(id), "kind": .string(kind.rawValue), "version": JSONValue(version), "received_at": receivedAt.json,
            "source": JSONValue(sourceID),
            "changes": .array(changes.map { .object(["field": .string($0.name), "from": $0.from, "to": $0.to]) }),
        ]
    }
}
