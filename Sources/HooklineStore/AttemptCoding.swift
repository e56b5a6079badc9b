import HooklineCore

// Attempt records as stored: JSON written and read with Core's JSON (faster than Foundation's
// coders on the delivery path, where every attempt is recorded).

extension HeaderField {
    static func storedJSON(_ headers: [HeaderField]) -> JSONValue {
        .array(headers.map { [.string($0.name), .string($0.value)] })
    }

    static func headers(storedJSON value: JSONValue?) -> [HeaderField] {
        (value?.arrayValue ?? []).compactMap { pair in
            guard let items = pair.arrayValue, items.count == 2, let name = items[0].stringValue, let value = items[1].stringValue else { return nil }
            return HeaderField(name: name, value: value)
        }
    }
}

extension HeaderField {
    /// A frozen payload's headers as stored, `[{"name": …, "value": …}]`: the shape Foundation's
    /// coders wrote, now written on every first attempt and read on every lease of a retry.
    static func payloadJSON(_ headers: [HeaderField]) -> String {
        JSONValue.array(headers.map { .object(["name": .string($0.name), "value": .string($0.value)]) }).jsonText
    }

    static func headers(payloadJSON text: String) throws -> [HeaderField] {
        guard let items = try JSONParser.parse(text).arrayValue else { throw StoreError.conflict("a payload's stored headers are not an array") }
        return try items.map { item in
            guard let name = item["name"]?.stringValue, let value = item["value"]?.stringValue else {
                throw StoreError.conflict("a payload's stored header has no name or value")
            }
            return HeaderField(name: name, value: value)
        }
    }
}

extension RecordedRequest {
    var storedJSON: String {
        JSONValue.object(["method": .string(method), "url": .string(url), "headers": HeaderField.storedJSON(headers), "body": .string(body)]).jsonText
    }

    init(storedJSON text: String) throws {
        let value = try JSONParser.parse(text)
        self.init(
            method: value["method"]?.stringValue ?? "", url: value["url"]?.stringValue ?? "", headers: HeaderField.headers(storedJSON: value["headers"]),
            body: value["body"]?.stringValue ?? "")
    }
}

extension RecordedResponse {
    var storedJSON: String {
        JSONValue.object([
            "status": .integer(Int64(status)), "headers": HeaderField.storedJSON(headers), "body": .string(body), "body_truncated": .bool(bodyTruncated),
        ]).jsonText
    }

    init(storedJSON text: String) throws {
        let value = try JSONParser.parse(text)
        self.init(
            status: Int(value["status"]?.integerValue ?? 0), headers: HeaderField.headers(storedJSON: value["headers"]), body: value["body"]?.stringValue ?? "",
            bodyTruncated: value["body_truncated"]?.boolValue ?? false)
    }
}
