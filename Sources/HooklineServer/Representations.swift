import HooklineCore
import HooklineStore

// How domain values look in API answers. One place, so every route shows a thing the same way.

extension Timestamp {
    var json: JSONValue { .string(iso8601) }
}

extension Optional where Wrapped == Timestamp {
    var json: JSONValue { self.map { .string($0.iso8601) } ?? .null }
}

extension Account {
    var json: JSONObject {
        ["id": .string(id), "name": .string(name), "created_at": createdAt.json]
    }
}

extension InboundSource {
    /// Never the address's secret, nor secret options.
    var json: JSONObject {
        [
            "id": .string(id), "name": .string(name), "kind": .string(kind.rawValue), "options": .object(shownOptions),
            "received": .integer(Int64(received)), "refused": .integer(Int64(refused)), "created_at": createdAt.json, "updated_at": updatedAt.json,
        ]
    }
}

extension User {
    /// Never the password's hash.
    var json: JSONObject {
        ["id": .string(id), "email": .string(email), "role": .string(role.rawValue), "created_at": createdAt.json]
    }
}

extension Webhook {
    /// The webhook as every answer shows it: no secrets.
    var json: JSONObject {
        var object: JSONObject = ["id": .string(id)]
        object = object.merging(settings.json)
        object["disabled_reason"] = JSONValue(disabledReason)
        object["health"] = [
            "state": .string(health.state.rawValue),
            "consecutive_failures": .integer(Int64(health.consecutiveFailures)),
            "failing_since": health.failingSince.json,
            "last_error": JSONValue(health.lastError),
        ]
        object["created_at"] = createdAt.json
        object["updated_at"] = updatedAt.json
        return object
    }

    /// Only at creation and rotation: the signing secret, once.
    var jsonRevealingSecret: JSONObject {
        var object = json
        object["secret"] = .string(secrets.current)
        return object
    }
}

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

extension StoredTemplate {
    var json: JSONObject {
        [
            "id": .string(id), "name": .string(name), "group": JSONValue(group), "format": .string(template.format.rawValue),
            "body": .string(template.body), "created_at": createdAt.json, "updated_at": updatedAt.json,
        ]
    }
}

extension Location {
    var json: JSONObject {
        JSONObject([("id", .string(id))]).merging(values).merging(["created_at": createdAt.json, "updated_at": updatedAt.json])
    }
}

extension Campaign {
    var json: JSONObject {
        [
            "id": .string(id), "name": .string(name), "kind": .string(kind.rawValue), "tags": .object(tags), "location": JSONValue(locationID),
            "tracking_numbers": .array(trackingNumbers.map(JSONValue.string)), "created_at": createdAt.json, "updated_at": updatedAt.json,
        ]
    }
}

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

extension Delivery {
    var json: JSONObject {
        [
            "id": .string(id),
            "webhook_id": .string(webhookID),
            "event_id": .string(eventID),
            "event_kind": .string(eventKind.rawValue),
            "subject_id": .string(subjectID),
            "status": .string(status.rawValue),
            "attempt_count": .integer(Int64(attemptCount)),
            "next_attempt_at": status == .pending ? nextAttemptAt.json : .null,
            "last_response_status": JSONValue(lastResponseStatus),
            "last_error": JSONValue(lastError),
            "source": JSONValue(sourceID),
            "created_at": createdAt.json,
            "updated_at": updatedAt.json,
        ]
    }
}

extension HeaderField {
    static func json(_ headers: [HeaderField]) -> JSONValue {
        .array(headers.map { ["name": .string($0.name), "value": .string($0.value)] })
    }
}

extension Attempt {
    var json: JSONObject {
        [
            "number": .integer(Int64(number)),
            "started_at": startedAt.json,
            "duration_ms": .integer(Int64(durationMilliseconds)),
            "request": [
                "method": .string(request.method), "url": .string(request.url), "headers": HeaderField.json(request.headers),
                "body": .string(request.body),
            ],
            "response": response.map { response in
                [
                    "status": .integer(Int64(response.status)), "headers": HeaderField.json(response.headers),
                    "body": .string(response.body), "body_truncated": .bool(response.bodyTruncated),
                ]
            } ?? .null,
            "error_kind": JSONValue(errorKind?.rawValue),
            "error_message": JSONValue(errorMessage),
        ]
    }
}

extension Token {
    var json: JSONObject {
        var object: JSONObject = [
            "name": .string(name), "category": .string(category.rawValue), "type": .string(type.rawValue),
            "description": .string(description), "example": example,
        ]
        if let allowedValues { object["allowed_values"] = .array(allowedValues.map(JSONValue.string)) }
        return object
    }
}

extension Page {
    func json(_ item: (Item) -> JSONObject) -> JSONObject {
        ["data": .array(items.map { .object(item($0)) }), "next_cursor": JSONValue(nextCursor)]
    }
}
