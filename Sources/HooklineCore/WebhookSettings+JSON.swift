import Foundation

/// Reading webhook settings from an API body (create, or a partial update over saved settings),
/// and writing them back. Every mistake names its field.
extension WebhookSettings {
    static let fieldNames: Set<String> = [
        "name", "url", "method", "headers", "template", "success_codes", "triggers", "enabled", "retry", "max_in_flight",
        "probe_interval", "timeouts", "signing", "auth",
    ]

    /// Headers Hookline sets itself; a user value would corrupt the request.
    static let reservedHeaders: Set<String> = ["content-length", "host", "transfer-encoding", "connection", "upgrade", "te", "trailer"]

    public init(json body: JSONValue, updating base: WebhookSettings? = nil, catalogue: TokenCatalogue = .standard) throws(FieldError) {
        guard let object = body.objectValue else { throw FieldError("body", "must be a JSON object, not \(body.typeName)") }
        for key in object.keys where !Self.fieldNames.contains(key) {
            throw FieldError(key, "unknown field; webhooks have \(Self.fieldNames.sorted().joined(separator: ", "))")
        }
        func required<T>(_ key: String, _ current: T?, _ read: (JSONValue) throws(FieldError) -> T) throws(FieldError) -> T {
            if let value = object[key] { return try read(value) }
            if let current { return current }
            throw FieldError(key, "is required")
        }
        let name = try required("name", base?.name, Self.readName)
        let url = try required("url", base?.url, Self.readURL)
        let method = try required("method", base?.method ?? .post, Self.readMethod)
        let headers = try required("headers", base?.headers ?? [], Self.readHeaders)
        let template = try required("template", base?.template) { (value) throws(FieldError) in try Self.readTemplate(value, catalogue: catalogue) }
        let successCodes = try required("success_codes", base?.successCodes ?? Self.defaultSuccessCodes, Self.readSuccessCodes)
        let triggers = try required("triggers", base?.triggers, Self.readTriggers)
        let enabled = try required("enabled", base?.enabled ?? true) { (value) throws(FieldError) in
            guard let flag = value.boolValue else { throw FieldError("enabled", "must be true or false") }
            return flag
        }
        let retry = try required("retry", base?.retry ?? .standard) { (value) throws(FieldError) in try Self.readRetry(value, base: base?.retry ?? .standard) }
        let maxInFlight = try required("max_in_flight", base?.maxInFlight ?? Self.defaultMaxInFlight) { (value) throws(FieldError) in
            guard let count = value.integerValue, (1...256).contains(count) else { throw FieldError("max_in_flight", "must be a whole number from 1 to 256") }
            return Int(count)
        }
        let probeInterval = try required("probe_interval", base?.probeInterval ?? Self.defaultProbeInterval) { (value) throws(FieldError) in
            guard let seconds = value.numberValue, seconds >= 0.1, seconds <= 3600 else {
                throw FieldError("probe_interval", "must be a number of seconds from 0.1 to 3600")
            }
            return seconds
        }
        let timeouts = try required("timeouts", base?.timeouts ?? .standard) { (value) throws(FieldError) in
            try Self.readTimeouts(value, base: base?.timeouts ?? .standard)
        }
        let signing = try required("signing", base?.signing ?? true) { (value) throws(FieldError) in
            guard let flag = value.boolValue else { throw FieldError("signing", "must be true or false") }
            return flag
        }
        let auth = try required("auth", base?.auth.map { Optional($0) } ?? .some(nil), Self.readAuth)
        if method == .get {
            throw FieldError("method", "GET sends no body, and the \(template.format.rawValue) format needs one; use POST, PUT or PATCH")
        }
        self.init(
            name: name, url: url, method: method, headers: headers, template: template, successCodes: successCodes,
            triggers: triggers, enabled: enabled, retry: retry, maxInFlight: maxInFlight, probeInterval: probeInterval,
            timeouts: timeouts, signing: signing, auth: auth)
    }

    static func readTimeouts(_ value: JSONValue, base: WebhookTimeouts) throws(FieldError) -> WebhookTimeouts {
        guard let object = value.objectValue else { throw FieldError("timeouts", "must be an object with connect and total") }
        for key in object.keys where key != "connect" && key != "total" {
            throw FieldError("timeouts.\(key)", "unknown field; timeouts has connect and total")
        }
        var timeouts = base
        if let connect = object["connect"] {
            guard let seconds = connect.numberValue, seconds > 0, seconds <= WebhookTimeouts.longest.connect else {
                throw FieldError("timeouts.connect", "must be more than 0 and at most \(Int(WebhookTimeouts.longest.connect)) seconds")
            }
            timeouts.connect = seconds
        }
        if let total = object["total"] {
            guard let seconds = total.numberValue, seconds > 0, seconds <= WebhookTimeouts.longest.total else {
                throw FieldError("timeouts.total", "must be more than 0 and at most \(Int(WebhookTimeouts.longest.total)) seconds")
            }
            timeouts.total = seconds
        }
        return timeouts
    }

    static func readAuth(_ value: JSONValue) throws(FieldError) -> WebhookAuth? {
        if value.isNull { return nil }
        guard let object = value.objectValue, let type = object["type"]?.stringValue else {
            throw FieldError("auth", "must be null, {\"type\": \"basic\", \"username\", \"password\"} or {\"type\": \"bearer\", \"token\"}")
        }
        func text(_ key: String) throws(FieldError) -> String {
            guard let value = object[key]?.stringValue, !value.isEmpty, !value.contains("\r"), !value.contains("\n") else {
                throw FieldError("auth.\(key)", "is required and must be a non-empty single-line string")
            }
            return value
        }
        switch type {
        case "basic":
            for key in object.keys where !["type", "username", "password"].contains(key) { throw FieldError("auth.\(key)", "unknown field for basic auth") }
            let username = try text("username")
            guard !username.contains(":") else { throw FieldError("auth.username", "must not contain ':'") }
            return .basic(username: username, password: try text("password"))
        case "bearer":
            for key in object.keys where !["type", "token"].contains(key) { throw FieldError("auth.\(key)", "unknown field for bearer auth") }
            return .bearer(token: try text("token"))
        default:
            throw FieldError("auth.type", "must be basic or bearer")
        }
    }

    public static func readName(_ value: JSONValue) throws(FieldError) -> String {
        guard let name = value.stringValue?.trimmingCharacters(in: .whitespacesAndNewlines), !name.isEmpty else {
            throw FieldError("name", "must be a non-empty string")
        }
        guard name.count <= 200 else { throw FieldError("name", "must be at most 200 characters") }
        return name
    }

    static func readURL(_ value: JSONValue) throws(FieldError) -> String {
        guard let text = value.stringValue else { throw FieldError("url", "must be a string") }
        guard text.utf8.count <= 2048 else { throw FieldError("url", "must be at most 2048 bytes") }
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased() else {
            throw FieldError("url", "'\(text)' is not a valid URL")
        }
        guard scheme == "http" || scheme == "https" else {
            throw FieldError("url", "must use http or https, not \(scheme)")
        }
        guard let host = components.host, !host.isEmpty else { throw FieldError("url", "must name a host") }
        return text
    }

    static func readMethod(_ value: JSONValue) throws(FieldError) -> WebhookMethod {
        guard let text = value.stringValue, let method = WebhookMethod(rawValue: text.uppercased()) else {
            throw FieldError("method", "must be one of \(WebhookMethod.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return method
    }

    static func readHeaders(_ value: JSONValue) throws(FieldError) -> [HeaderField] {
        guard let object = value.objectValue else { throw FieldError("headers", "must be an object of header names to values") }
        var fields: [HeaderField] = []
        for (name, headerValue) in object {
            let field = "headers.\(name)"
            guard !name.isEmpty, name.utf8.allSatisfy(isTokenCharacter) else { throw FieldError(field, "is not a valid header name") }
            guard !reservedHeaders.contains(name.lowercased()) else { throw FieldError(field, "is set by Hookline and cannot be overridden") }
            guard let text = headerValue.stringValue else { throw FieldError(field, "must be a string") }
            guard !text.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "\0" }) else {
                throw FieldError(field, "must not contain line breaks")
            }
            fields.append(HeaderField(name: name, value: text))
        }
        return fields
    }

    static func readTemplate(_ value: JSONValue, catalogue: TokenCatalogue) throws(FieldError) -> Template {
        guard let object = value.objectValue else { throw FieldError("template", "must be an object with format and body") }
        for key in object.keys where key != "format" && key != "body" {
            throw FieldError("template.\(key)", "unknown field; a template has format and body")
        }
        guard let formatName = object["format"]?.stringValue else { throw FieldError("template.format", "is required") }
        guard let format = TemplateFormat(rawValue: formatName) else {
            throw FieldError("template.format", "must be one of \(TemplateFormat.allCases.map(\.rawValue).joined(separator: ", ")), not '\(formatName)'")
        }
        guard let body = object["body"]?.stringValue else { throw FieldError("template.body", "is required and must be a string") }
        guard body.utf8.count <= 256 * 1024 else { throw FieldError("template.body", "must be at most 256 KiB") }
        let template = Template(format: format, body: body)
        do {
            _ = try template.compile(catalogue: catalogue)
        } catch {
            throw FieldError("template.body", error.description)
        }
        return template
    }

    static func readSuccessCodes(_ value: JSONValue) throws(FieldError) -> [Int] {
        guard let array = value.arrayValue, !array.isEmpty else { throw FieldError("success_codes", "must be a non-empty array of status codes") }
        var codes: [Int] = []
        for (index, element) in array.enumerated() {
            guard let code = element.integerValue, (100...599).contains(code) else {
                throw FieldError("success_codes[\(index)]", "must be an HTTP status code from 100 to 599")
            }
            if !codes.contains(Int(code)) { codes.append(Int(code)) }
        }
        return codes
    }

    static func readTriggers(_ value: JSONValue) throws(FieldError) -> [EventKind] {
        guard let array = value.arrayValue, !array.isEmpty else {
            throw FieldError("triggers", "must be a non-empty array of \(EventKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        var kinds: [EventKind] = []
        for (index, element) in array.enumerated() {
            guard let name = element.stringValue, let kind = EventKind(rawValue: name) else {
                throw FieldError("triggers[\(index)]", "must be one of \(EventKind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            if !kinds.contains(kind) { kinds.append(kind) }
        }
        return kinds
    }

    static func readRetry(_ value: JSONValue, base: RetryPolicy) throws(FieldError) -> RetryPolicy {
        guard let object = value.objectValue else { throw FieldError("retry", "must be an object with schedule and max_age") }
        for key in object.keys where key != "schedule" && key != "max_age" {
            throw FieldError("retry.\(key)", "unknown field; retry has schedule and max_age")
        }
        var policy = base
        if let schedule = object["schedule"] {
            guard let array = schedule.arrayValue else { throw FieldError("retry.schedule", "must be an array of seconds") }
            var delays: [Double] = []
            for (index, element) in array.enumerated() {
                guard let delay = element.numberValue else { throw FieldError("retry.schedule[\(index)]", "must be a number of seconds") }
                delays.append(delay)
            }
            policy.schedule = delays
        }
        if let maxAge = object["max_age"] {
            guard let seconds = maxAge.numberValue else { throw FieldError("retry.max_age", "must be a number of seconds") }
            policy.maximumAge = seconds
        }
        return try policy.validated()
    }

    private static func isTokenCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): true
        default: "!#$%&'*+-.^_`|~".utf8.contains(byte)
        }
    }

    public var json: JSONObject {
        JSONObject([
            ("name", .string(name)),
            ("url", .string(url)),
            ("method", .string(method.rawValue)),
            ("headers", .object(JSONObject(headers.map { ($0.name, .string($0.value)) }))),
            ("template", ["format": .string(template.format.rawValue), "body": .string(template.body)]),
            ("success_codes", .array(successCodes.map { .integer(Int64($0)) })),
            ("triggers", .array(triggers.map { .string($0.rawValue) })),
            ("enabled", .bool(enabled)),
            ("retry", ["schedule": .array(retry.schedule.map(JSONValue.seconds)), "max_age": .seconds(retry.maximumAge)]),
            ("max_in_flight", .integer(Int64(maxInFlight))),
            ("probe_interval", .seconds(probeInterval)),
            ("timeouts", ["connect": .seconds(timeouts.connect), "total": .seconds(timeouts.total)]),
            ("signing", .bool(signing)),
            // Credentials are never shown back: only what kind, and whose.
            ("auth", auth.map { auth -> JSONValue in
                switch auth {
                case .basic(let username, _): ["type": "basic", "username": .string(username)]
                case .bearer: ["type": "bearer"]
                }
            } ?? .null),
        ])
    }
}

extension JSONValue {
    /// Whole seconds as integers, fractions as decimals.
    static func seconds(_ value: Double) -> JSONValue {
        value.rounded() == value ? .integer(Int64(value)) : .decimal(value)
    }
}
