import Foundation
import HooklineCore

/// Reading webhook settings from an API body (create, or a partial update over saved settings),
/// and writing them back. Every mistake names its field.
extension WebhookSettings {
    static let fieldNames: Set<String> = [
        "name", "url", "method", "headers", "template", "success_codes", "triggers", "enabled", "retry", "max_in_flight",
        "probe_interval", "timeouts", "signing", "auth", "preset", "answer_rule", "capture", "scope", "placements", "conditions",
        "first_call_only", "hold", "rate_limit",
    ]

    /// Headers Hookline sets itself; a user value would corrupt the request.
    static let reservedHeaders: Set<String> = [
        "content-length", "host", "transfer-encoding", "connection", "upgrade", "te", "trailer",
        // Standard Webhooks: sent on every request (the signature when signing is on); a second would contradict it.
        "webhook-id", "webhook-timestamp", "webhook-signature",
    ]

    /// `storedTemplates` holds the account's templates a `{"id": …}` template may name. Public for
    /// the fuzzer (`hookline-fuzz webhook`), which reads bodies as the API does.
    public init(
        json body: JSONValue, updating base: WebhookSettings? = nil, storedTemplates: [String: Template] = [:],
        catalogue: TokenCatalogue = .standard
    ) throws(FieldError) {
        var object = try ObjectReader(body, fields: Self.fieldNames, subject: "a webhook").object
        // A webhook as shown back has a null template (preset) or a null preset (template).
        if object["preset"]?.isNull == true { object["preset"] = nil }
        if object["template"]?.isNull == true { object["template"] = nil }
        let fields = ObjectReader(checked: object)
        let name = try fields.required("name", base?.name) { (value) throws(FieldError) in try DisplayName.read(value) }
        // Shown back, a password in the URL and secret header values are redacted; sent back
        // unchanged, they keep what is saved.
        let url = try fields.required("url", base?.url) { (value) throws(FieldError) in
            if let base, value.stringValue == Redaction.redacted(url: base.url) { return base.url }
            return try Self.readURL(value)
        }
        let (headers, auth) = try Self.readCredentials(object, url: url, base: base)
        let template = try Self.readTemplateChoice(object, base: base?.template, storedTemplates: storedTemplates, catalogue: catalogue)
        // A preset brings the settings its protocol needs, unless given here.
        let preset = object["preset"] != nil ? template.presetChoice?.preset : nil
        let method = try fields.required("method", preset?.method ?? base?.method ?? .post, Self.readMethod)
        if let preset, method != preset.method {
            throw FieldError("method", "preset \(preset.name) sends \(preset.method.rawValue)", kind: .unusable)
        }
        let successCodes = try fields.required("success_codes", base?.successCodes ?? Self.defaultSuccessCodes, Self.readSuccessCodes)
        let triggers = try fields.required("triggers", preset?.triggers ?? base?.triggers, { (value) throws(FieldError) in try Self.readTriggers(value) })
        if let supported = template.presetChoice?.preset?.supportedTriggers, let index = triggers.firstIndex(where: { !supported.contains($0) }) {
            throw FieldError("triggers[\(index)]", "preset \(template.presetChoice!.name) has no payload for \(triggers[index].rawValue); it sends \(supported.map(\.rawValue).joined(separator: ", "))", kind: .unusable)
        }
        let enabled = try fields.required("enabled", base?.enabled ?? true) { (value) throws(FieldError) in try Self.readFlag(value, "enabled") }
        let retry = try fields.required("retry", base?.retry ?? .standard) { (value) throws(FieldError) in try Self.readRetry(value, base: base?.retry ?? .standard) }
        let maxInFlight = try fields.required("max_in_flight", base?.maxInFlight ?? Self.defaultMaxInFlight, Self.readMaxInFlight)
        let probeInterval = try fields.required("probe_interval", base?.probeInterval ?? Self.defaultProbeInterval, Self.readProbeInterval)
        let timeouts = try fields.required("timeouts", base?.timeouts ?? .standard) { (value) throws(FieldError) in try Self.readTimeouts(value, base: base?.timeouts ?? .standard) }
        let signing = try fields.required("signing", base?.signing ?? true) { (value) throws(FieldError) in try Self.readFlag(value, "signing") }
        let answerRule = try fields.required("answer_rule", preset.map { .some($0.answerRule) } ?? .some(base?.answerRule), Self.readAnswerRule)
        let captures = try fields.required("capture", preset?.captures ?? base?.captures ?? []) { (value) throws(FieldError) in try Self.readCaptures(value, catalogue: catalogue) }
        let scope = try WebhookScope.read(scope: object["scope"], placements: object["placements"], triggers: triggers, base: base?.scope)
        let conditions = try fields.required("conditions", base?.conditions ?? []) { (value) throws(FieldError) in try Self.readConditions(value, catalogue: catalogue) }
        let firstCallOnly = try fields.required("first_call_only", preset?.firstCallOnly ?? base?.firstCallOnly ?? false) { (value) throws(FieldError) in
            try Self.readFlag(value, "first_call_only")
        }
        let hold = try fields.required("hold", .some(base?.hold)) { (value) throws(FieldError) in try Self.readHold(value, triggers: triggers, catalogue: catalogue) }
        let rateLimit = try fields.required("rate_limit", .some(base?.rateLimit), Self.readRateLimit)
        self.init(
            name: name, url: url, method: method, headers: headers, template: template, successCodes: successCodes,
            triggers: triggers, enabled: enabled, retry: retry, maxInFlight: maxInFlight, probeInterval: probeInterval,
            timeouts: timeouts, signing: signing, auth: auth, answerRule: answerRule, captures: captures, scope: scope,
            conditions: conditions, firstCallOnly: firstCallOnly, hold: hold, rateLimit: rateLimit)
        try checkEveryTriggerRenders(catalogue: catalogue)
    }

    /// Each trigger's template compiles against the catalogue, and a GET carries its values in
    /// the query.
    private func checkEveryTriggerRenders(catalogue: TokenCatalogue) throws(FieldError) {
        for kind in triggers {
            do {
                _ = try compile(for: kind, catalogue: catalogue)
            } catch {
                throw FieldError(headers.isEmpty ? "template.body" : "headers", error.description, kind: .unusable)
            }
            if method == .get, template.template(for: kind)?.format != .query {
                throw FieldError("method", "GET sends no body; use the query format, or POST, PUT or PATCH", kind: .unusable)
            }
        }
    }

    /// A preset, a template (inline or saved), or what the webhook has: never both.
    static func readTemplateChoice(
        _ object: JSONObject, base: TemplateSource?, storedTemplates: [String: Template], catalogue: TokenCatalogue
    ) throws(FieldError) -> TemplateSource {
        if object["template"] != nil, object["preset"] != nil {
            throw FieldError("preset", "a webhook has either a template or a preset, not both", kind: .unusable)
        }
        if let value = object["preset"] { return .preset(try readPreset(value, base: base?.presetChoice)) }
        if let value = object["template"] { return try readTemplateSource(value, storedTemplates: storedTemplates, catalogue: catalogue) }
        if let base { return base }
        throw FieldError("template", "is required (or name a preset)")
    }

    static func readFlag(_ value: JSONValue, _ field: String) throws(FieldError) -> Bool {
        guard let flag = value.boolValue else { throw FieldError(field, "must be true or false") }
        return flag
    }

    static func readMaxInFlight(_ value: JSONValue) throws(FieldError) -> Int {
        guard let count = value.integerValue, (1...256).contains(count) else { throw FieldError("max_in_flight", "must be a whole number from 1 to 256") }
        return Int(count)
    }

    static func readProbeInterval(_ value: JSONValue) throws(FieldError) -> Double {
        guard let seconds = value.numberValue, seconds >= 0.1, seconds <= 3600 else {
            throw FieldError("probe_interval", "must be a number of seconds from 0.1 to 3600")
        }
        return seconds
    }

    static func readTimeouts(_ value: JSONValue, base: WebhookTimeouts) throws(FieldError) -> WebhookTimeouts {
        let object = try ObjectReader(value, at: "timeouts", fields: ["connect", "total"], subject: "timeouts").object
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

    /// Headers and auth, with what is saved where the body leaves them out or sends them back
    /// redacted. Saved credentials go only where they were given for: a new origin (scheme, host,
    /// port) gets them only if they are given again, so whoever may edit a webhook without seeing
    /// its secrets cannot send them to a host of their own.
    static func readCredentials(_ object: JSONObject, url: String, base: WebhookSettings?) throws(FieldError) -> ([HeaderField], WebhookAuth?) {
        let kept = base.map { Origin(url: $0.url) == Origin(url: url) ? $0 : $0.withoutSecrets }
        let moved = "must be given again: saved secrets are not sent to a new destination (\(Origin(url: url)?.description ?? url))"
        var headers = kept?.headers ?? []
        if let value = object["headers"] {
            headers = try Self.readHeaders(value).map { (header) throws(FieldError) in
                guard header.value == Redaction.placeholder, Redaction.isSecret(headerName: header.name) else { return header }
                func named(_ field: HeaderField) -> Bool { field.name.lowercased() == header.name.lowercased() }
                if let saved = kept?.headers.first(where: named) { return saved }
                if base?.headers.contains(where: named) == true { throw FieldError("headers.\(header.name)", moved, kind: .unusable) }
                return header
            }
        }
        var auth = kept?.auth
        if let value = object["auth"] {
            auth = try Self.readAuth(value, base: kept?.auth, dropped: base?.auth != nil && kept?.auth == nil ? moved : nil)
        }
        return (headers, auth)
    }

    /// Credentials are never shown back: auth sent back as shown (without them) keeps the saved ones.
    /// `dropped` says why saved credentials were not kept (a new origin), for the error when they
    /// are missing.
    static func readAuth(_ value: JSONValue, base: WebhookAuth?, dropped: String? = nil) throws(FieldError) -> WebhookAuth? {
        if value.isNull { return nil }
        guard let object = value.objectValue, let type = object["type"]?.stringValue else {
            throw FieldError("auth", "must be null, {\"type\": \"basic\", \"username\", \"password\"} or {\"type\": \"bearer\", \"token\"}")
        }
        func text(_ key: String) throws(FieldError) -> String {
            guard let value = object[key]?.stringValue, !value.isEmpty, !value.contains("\r"), !value.contains("\n") else {
                if object[key] == nil, let dropped { throw FieldError("auth.\(key)", dropped, kind: .unusable) }
                throw FieldError("auth.\(key)", "is required and must be a non-empty single-line string")
            }
            return value
        }
        switch type {
        case "basic":
            _ = try ObjectReader(value, at: "auth", fields: ["type", "username", "password"], subject: "basic auth")
            let username = try text("username")
            guard !username.contains(":") else { throw FieldError("auth.username", "must not contain ':'") }
            if object["password"] == nil, case .basic(username, let saved) = base { return .basic(username: username, password: saved) }
            return .basic(username: username, password: try text("password"))
        case "bearer":
            _ = try ObjectReader(value, at: "auth", fields: ["type", "token"], subject: "bearer auth")
            if object["token"] == nil, case .bearer(let saved) = base { return .bearer(token: saved) }
            return .bearer(token: try text("token"))
        default:
            throw FieldError("auth.type", "must be basic or bearer")
        }
    }

    static func readURL(_ value: JSONValue) throws(FieldError) -> String {
        guard let text = value.stringValue else { throw FieldError("url", "must be a string") }
        guard text.utf8.count <= 2048 else { throw FieldError("url", "must be at most 2048 bytes") }
        guard !text.unicodeScalars.contains(where: { $0.value < 0x21 || $0.value == 0x7F }) else {
            throw FieldError("url", "must not contain spaces or control characters (percent-encode them)")
        }
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased() else {
            throw FieldError("url", "'\(Echo.quoted(text))' is not a valid URL", kind: .unusable)
        }
        guard scheme == "http" || scheme == "https" else {
            throw FieldError("url", "must use http or https, not \(scheme)")
        }
        guard let host = components.host, !host.isEmpty else { throw FieldError("url", "must name a host", kind: .unusable) }
        if let port = components.port, !(1...65535).contains(port) { throw FieldError("url", "port \(port) is not from 1 to 65535", kind: .unusable) }
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
            guard !reservedHeaders.contains(name.lowercased()) else { throw FieldError(field, "is set by Hookline and cannot be overridden", kind: .unusable) }
            guard let text = headerValue.stringValue else { throw FieldError(field, "must be a string") }
            guard !text.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "\0" }) else {
                throw FieldError(field, "must not contain line breaks")
            }
            guard text.utf8.count <= RequestHeadLimits.maximumValueBytes else {
                throw FieldError(field, "must be at most \(RequestHeadLimits.maximumValueBytes) bytes")
            }
            fields.append(HeaderField(name: name, value: text))
        }
        if let problem = RequestHeadLimits.problem(headers: fields, target: "") { throw FieldError("headers", problem, kind: .unusable) }
        return fields
    }

    static func readTemplateSource(_ value: JSONValue, storedTemplates: [String: Template], catalogue: TokenCatalogue) throws(FieldError) -> TemplateSource {
        guard let object = value.objectValue else { throw FieldError("template", "must be an object with format and body, or with the id of a saved template") }
        if let id = object["id"] {
            guard let id = id.stringValue, let template = storedTemplates[id] else {
                throw FieldError("template.id", "no saved template \(Echo.quoted(id.stringValue ?? id.jsonText)) in this account", kind: .unusable)
            }
            // The webhook as shown back holds the template's format and body too; they may come
            // back unchanged, but a change belongs to the template itself.
            let shown: JSONObject = ["format": .string(template.format.rawValue), "body": .string(template.body)]
            for key in object.keys where key != "id" && object[key] != shown[key] {
                throw FieldError("template.\(key)", shown[key] == nil
                    ? "unknown field; a template is named by id alone"
                    : "differs from saved template \(id); change it with PATCH /v1/templates/\(id), or drop the id to write one here")
            }
            return .stored(id: id, template: template)
        }
        return .inline(try readTemplate(value, catalogue: catalogue, field: "template"))
    }

    /// A template's `format` and `body`; also what `POST /v1/templates` reads.
    static func readTemplate(_ value: JSONValue, catalogue: TokenCatalogue = .standard, field: String = "template", extraKeys: Set<String> = [])
        throws(FieldError) -> Template
    {
        let object = try ObjectReader(value, at: field, fields: extraKeys.union(["format", "body"]), subject: "a template").object
        let prefix = field.isEmpty ? "" : field + "."
        let format = try TemplateFormat(json: object["format"], field: prefix + "format")
        guard let body = object["body"]?.stringValue else { throw FieldError(prefix + "body", "is required and must be a string") }
        guard body.utf8.count <= 256 * 1024 else { throw FieldError(prefix + "body", "must be at most 256 KiB") }
        let template = Template(format: format, body: body)
        do {
            _ = try template.compile(catalogue: catalogue)
        } catch {
            throw FieldError(prefix + "body", error.description, kind: .unusable)
        }
        return template
    }

    static func readPreset(_ value: JSONValue, base: PresetChoice?) throws(FieldError) -> PresetChoice {
        let object: JSONObject
        if let name = value.stringValue {
            object = ["name": .string(name)]
        } else if let given = value.objectValue {
            object = given
        } else {
            throw FieldError("preset", "must be a preset name or an object with name and options")
        }
        let names = Preset.all.map(\.name).joined(separator: ", ")
        guard let name = object["name"]?.stringValue else { throw FieldError("preset.name", "is required; presets are \(names)") }
        guard let preset = Preset.named(name) else { throw FieldError("preset.name", "unknown preset '\(Echo.quoted(name))'; presets are \(names)") }
        var options = JSONObject()
        let kept = base?.name == name ? base!.optionValues : JSONObject()
        for key in object.keys where key != "name" && !preset.options.contains(where: { $0.name == key }) {
            throw FieldError("preset.\(key)", "unknown option of \(name)" + (preset.options.isEmpty ? "; it has none" : "; it has \(preset.options.map(\.name).joined(separator: ", "))"), kind: .unusable)
        }
        for option in preset.options {
            guard let value = object[option.name] ?? kept[option.name] ?? option.defaultValue else {
                if option.required { throw FieldError("preset.\(option.name)", "is required by \(name): \(option.description)", kind: .unusable) }
                continue
            }
            switch option.kind {
            case .string:
                guard let text = value.stringValue, !text.isEmpty else { throw FieldError("preset.\(option.name)", "must be a non-empty string", kind: .unusable) }
            case .boolean:
                guard value.boolValue != nil else { throw FieldError("preset.\(option.name)", "must be true or false", kind: .unusable) }
            }
            options[option.name] = value
        }
        return PresetChoice(name: name, options: options)
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
            ("url", .string(Redaction.redacted(url: url))),
            ("method", .string(method.rawValue)),
            ("headers", .object(JSONObject(Redaction.redacted(headers).map { ($0.name, .string($0.value)) }))),
            ("template", Self.json(template)),
            ("preset", template.presetChoice.map(Self.json) ?? .null),
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
            ("answer_rule", answerRule.map { ["path": .string($0.path.description), "equals": $0.equals] } ?? .null),
            ("capture", .object(JSONObject(captures.map { ($0.path.description, .string($0.token)) }))),
            ("scope", scope.jsonName),
            ("placements", .array(scope.placements.map { .object($0.json) })),
            ("conditions", .array(conditions.map { condition in
                var object: JSONObject = ["token": .string(condition.token), "op": .string(condition.operation.rawValue)]
                if let value = condition.value { object["value"] = value }
                return .object(object)
            })),
            ("first_call_only", .bool(firstCallOnly)),
            ("hold", hold.map { ["until": .array($0.until.map(JSONValue.string)), "max_seconds": .integer(Int64($0.maxSeconds))] } ?? .null),
            ("rate_limit", rateLimit.map { ["requests": .integer(Int64($0.requests)), "seconds": .seconds($0.seconds)] } ?? .null),
        ])
    }

    static func json(_ source: TemplateSource) -> JSONValue {
        switch source {
        case .inline(let template): ["format": .string(template.format.rawValue), "body": .string(template.body)]
        case .stored(let id, let template): ["id": .string(id), "format": .string(template.format.rawValue), "body": .string(template.body)]
        case .preset: .null
        }
    }

    /// A preset choice as shown back: secret options (passwords) left out.
    static func json(_ choice: PresetChoice) -> JSONValue {
        var object: JSONObject = ["name": .string(choice.name)]
        let secrets = Set(choice.preset?.options.filter(\.secret).map(\.name) ?? [])
        for (key, value) in choice.optionValues where !secrets.contains(key) { object[key] = value }
        return .object(object)
    }
}

extension JSONValue {
    /// Whole seconds as integers, fractions as decimals.
    static func seconds(_ value: Double) -> JSONValue {
        value.rounded() == value ? .integer(Int64(value)) : .decimal(value)
    }
}
