import HooklineCore
import HooklineStore

extension Delivery {
    var json: JSONObject {
        [
            "id": .string(id),
            "webhook_id": .string(webhookID),
            "event_id": .string(eventID),
            "event_kind": .string(eventKind.rawValue),
            "subject_id": .string(subjectID),
            "subject_version": JSONValue(subjectVersion),
            "status": .string(status.rawValue),
            "attempt_count": .integer(Int64(attemptCount)),
            "next_attempt_at": status == .pending ? nextAttemptAt.json : .null,
            "last_response_status": JSONValue(lastResponseStatus),
            "last_error": JSONValue(lastError),
            "source": JSONValue(sourceID),
            "held": heldUntil.map { ["until": $0.json, "waiting_for": .array(heldFor.map(JSONValue.string))] } ?? .null,
            "created_at": createdAt.json,
            "updated_at": updatedAt.json,
        ]
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
