import HooklineCore

/// Bulk replays in the API document.
extension OpenAPIDocument {
    static var replaySchemas: [(String, JSONValue)] {
        let time: JSONValue = ["type": ["string", "null"], "format": "date-time"]
        let filterFields: [(String, JSONValue)] = [
            ("webhook_id", ["type": ["string", "null"], "minLength": 1, "maxLength": 200, "description": "Only this webhook's"]),
            ("status", [
                "type": "array", "minItems": 1, "maxItems": 32,
                "items": ["type": "string", "enum": .array(ReplayFilter.Outcome.allCases.map { .string($0.rawValue) })],
                "description": "Default [\"dead\"]; failed: still retrying after a failed attempt",
            ]),
            ("kinds", ["type": "array", "maxItems": 32, "items": ["type": "string", "enum": .array(EventKind.allCases.map { .string($0.rawValue) })]]),
            ("from", time), ("to", time),
            ("subject_ids", [
                "type": "array", "maxItems": .integer(Int64(ReplayFilter.mostSubjects)),
                "items": ["type": "string", "minLength": 1, "maxLength": 200, "pattern": .string(subjectIDPattern)], "description": "Calls or leads",
            ]),
        ]
        return [
            ("ReplayInput", object(filterFields + [("dry_run", ["type": "boolean", "description": "Answer how many would be replayed, per webhook, and start nothing"])])),
            ("ReplayPreview", object([
                ("dry_run", ["type": "boolean"]), ("total", ["type": "integer"]),
                ("webhooks", ["type": "array", "items": object([("webhook_id", string), ("name", string), ("count", ["type": "integer"])])]),
            ])),
            ("ReplayJob", object([
                ("id", string), ("status", ["type": "string", "enum": .array(ReplayJob.Status.allCases.map { .string($0.rawValue) })]),
                ("total", ["type": "integer"]), ("replayed", ["type": "integer"]), ("filter", object(filterFields)),
                ("created_at", timestamp), ("updated_at", timestamp),
            ])),
            ("ReplayJobList", object([("data", ["type": "array", "items": ref("ReplayJob")])])),
        ]
    }

    static let replayOperations: [Operation] = [
        Operation(method: "POST", path: "/v1/replays",
                  summary: "Replay the deliveries a filter matches, once each, in per-call order, at each webhook's pace; with dry_run, only count them per webhook",
                  security: .account, requestBody: "ReplayInput", responses: [(201, "The job, started", "ReplayJob"), (200, "The preview (dry_run)", "ReplayPreview")],
                  errors: [422]),
        Operation(method: "GET", path: "/v1/replays", summary: "The account's replays, newest first", security: .account,
                  responses: [(200, "Replays", "ReplayJobList")]),
        Operation(method: "GET", path: "/v1/replays/{id}", summary: "A replay's progress", security: .account, responses: [(200, "The job", "ReplayJob")], errors: [404]),
        Operation(method: "DELETE", path: "/v1/replays/{id}", summary: "Cancel a replay: it stops where it is; what it replayed stays queued",
                  security: .account, responses: [(200, "The job, cancelled (or as it ended)", "ReplayJob")], errors: [404]),
    ]
}
