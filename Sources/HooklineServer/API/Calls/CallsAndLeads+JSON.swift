import HooklineCore
import HooklineStore

extension IngestReceipt {
    var json: JSONObject {
        var object: JSONObject = ["id": .string(id)]
        if kind == .leadMessage { object["lead_id"] = .string(subjectID) }
        object["event_id"] = .string(eventID)
        object["kind"] = .string(kind.rawValue)
        object["received_at"] = receivedAt.json
        object["deliveries"] = .array(deliveryIDs.map(JSONValue.string))
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
        ]
    }
}
