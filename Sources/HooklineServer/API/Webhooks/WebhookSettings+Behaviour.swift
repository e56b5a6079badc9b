import Foundation
import HooklineCore

/// Reading the settings that decide when a webhook is sent and what its answer means: answer
/// rule, captures, scope, conditions, success codes, triggers and retry. Every mistake names its field.
extension WebhookSettings {
    static func readAnswerRule(_ value: JSONValue) throws(FieldError) -> AnswerRule? {
        if value.isNull { return nil }
        let rule = try ObjectReader(value, at: "answer_rule", fields: ["path", "equals"], subject: "an answer rule")
        let path = try rule.required("path") { (path) throws(FieldError) in try readPath(path, field: "answer_rule.path") }
        return AnswerRule(path: path, equals: try rule.required("equals") { $0 })
    }

    static func readPath(_ value: JSONValue, field: String) throws(FieldError) -> JSONPath {
        guard let text = value.stringValue else { throw FieldError(field, "must be a JSON path such as $.status") }
        do {
            return try JSONPath(parsing: text)
        } catch {
            throw FieldError(field, error.description, kind: .unusable)
        }
    }

    static func readCaptures(_ value: JSONValue, catalogue: TokenCatalogue) throws(FieldError) -> [AnswerCapture] {
        guard let object = value.objectValue else { throw FieldError("capture", "must be an object of JSON paths to token names, such as {\"$.order_id\": \"order_id\"}") }
        var captures: [AnswerCapture] = []
        for (path, tokenValue) in object {
            let field = "capture.\(path)"
            let parsed = try readPath(.string(path), field: field)
            guard let token = tokenValue.stringValue else { throw FieldError(field, "must name a token") }
            guard let known = catalogue[token] else { throw FieldError(field, catalogue.unknownTokenMessage(token), kind: .unusable) }
            guard known.category != .preset else { throw FieldError(field, "'\(token)' is computed by a preset and cannot be captured", kind: .unusable) }
            captures.append(AnswerCapture(path: parsed, token: token))
        }
        return captures
    }

    /// `{"until": [tokens], "max_seconds": N}`: the call's end waits for the tokens, N seconds at
    /// most; null for none. Only a webhook sent the end of a call has one to hold.
    static func readHold(_ value: JSONValue, triggers: [EventKind], catalogue: TokenCatalogue) throws(FieldError) -> HoldRule? {
        if value.isNull { return nil }
        let hold = try ObjectReader(value, at: "hold", fields: ["until", "max_seconds"], subject: "a hold")
        let until = try hold.required("until") { (list) throws(FieldError) -> [String] in
            guard let items = list.arrayValue, !items.isEmpty, items.count <= HoldRule.mostTokens else {
                throw FieldError("hold.until", "must list 1 to \(HoldRule.mostTokens) tokens to wait for, such as [\"rec_audiourl\"]")
            }
            var names: [String] = []
            for (index, item) in items.enumerated() {
                let field = "hold.until[\(index)]"
                guard let name = item.stringValue else { throw FieldError(field, "must name a token") }
                guard let token = catalogue[name] else { throw FieldError(field, catalogue.unknownTokenMessage(name), kind: .unusable) }
                guard EventKind.callUpdated.acceptedCategories.contains(token.category) else {
                    throw FieldError(field, "'\(name)' is a \(token.category.rawValue) token: a call never learns it", kind: .unusable)
                }
                if !names.contains(name) { names.append(name) }
            }
            return names
        }
        let seconds = try hold.required("max_seconds") { (number) throws(FieldError) -> Int in
            guard let seconds = number.integerValue, (1...Int64(HoldRule.longestSeconds)).contains(seconds) else {
                throw FieldError("hold.max_seconds", "must be a whole number of seconds from 1 to \(HoldRule.longestSeconds)")
            }
            return Int(seconds)
        }
        guard triggers.contains(.callEnd) else {
            throw FieldError("hold", "holds the end of a call; add call.end to triggers", kind: .unusable)
        }
        return HoldRule(until: until, maxSeconds: seconds)
    }

    /// `{"requests": N, "seconds": S}`: at most N requests every S seconds; null for none.
    static func readRateLimit(_ value: JSONValue) throws(FieldError) -> RateLimit? {
        if value.isNull { return nil }
        let limit = try ObjectReader(value, at: "rate_limit", fields: ["requests", "seconds"], subject: "a rate limit")
        let requests = try limit.required("requests") { (number) throws(FieldError) -> Int in
            guard let count = number.integerValue, (1...Int64(RateLimit.mostRequests)).contains(count) else {
                throw FieldError("rate_limit.requests", "must be a whole number from 1 to \(RateLimit.mostRequests)")
            }
            return Int(count)
        }
        let seconds = try limit.required("seconds") { (number) throws(FieldError) -> Double in
            guard let seconds = number.numberValue, seconds >= 1, seconds <= RateLimit.longestSeconds else {
                throw FieldError("rate_limit.seconds", "must be a number of seconds from 1 to \(Int(RateLimit.longestSeconds))")
            }
            return seconds
        }
        return RateLimit(requests: requests, seconds: seconds)
    }

    static func readConditions(_ value: JSONValue, catalogue: TokenCatalogue) throws(FieldError) -> [TokenCondition] {
        guard let array = value.arrayValue else { throw FieldError("conditions", "must be an array of {\"token\", \"op\", \"value\"}") }
        let operations = TokenCondition.Operation.allCases.map(\.rawValue).joined(separator: ", ")
        var conditions: [TokenCondition] = []
        for (index, element) in array.enumerated() {
            let field = "conditions[\(index)]"
            let object = try ObjectReader(element, at: field, fields: ["token", "op", "value"], subject: "a condition").object
            guard let name = object["token"]?.stringValue else { throw FieldError("\(field).token", "is required") }
            guard let token = catalogue[name] else { throw FieldError("\(field).token", catalogue.unknownTokenMessage(name), kind: .unusable) }
            guard let opName = object["op"]?.stringValue, let operation = TokenCondition.Operation(rawValue: opName) else {
                throw FieldError("\(field).op", "must be one of \(operations)")
            }
            let value = object["value"]
            switch operation {
            case .exists:
                guard value == nil else { throw FieldError("\(field).value", "exists takes no value", kind: .unusable) }
            case .in:
                guard let options = value?.arrayValue, !options.isEmpty else { throw FieldError("\(field).value", "in needs a non-empty array of values", kind: .unusable) }
                if let allowed = token.allowedValues, let wrong = options.first(where: { !allowed.contains($0.stringValue ?? "") }) {
                    throw FieldError("\(field).value", "\(wrong.jsonText) is not a \(name); values are \(allowed.joined(separator: ", "))", kind: .unusable)
                }
            case .atLeast, .atMost:
                guard let value else { throw FieldError("\(field).value", "is required", kind: .unusable) }
                let comparable = value.numberValue != nil || (token.type == .timestamp && value.stringValue.flatMap(Timestamp.init(parsing:)) != nil)
                guard comparable else { throw FieldError("\(field).value", "\(opName) compares numbers (or timestamps), not \(value.typeName)", kind: .unusable) }
            case .equals, .notEquals:
                guard let value, !value.isNull else { throw FieldError("\(field).value", "is required", kind: .unusable) }
                if let allowed = token.allowedValues, !allowed.contains(value.stringValue ?? "") {
                    throw FieldError("\(field).value", "\(value.jsonText) is not a \(name); values are \(allowed.joined(separator: ", "))", kind: .unusable)
                }
            }
            conditions.append(TokenCondition(token: name, operation: operation, value: value))
        }
        return conditions
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

    /// - Parameter allowed: what a webhook may take: reported events, or for a notification
    ///   channel alerts.
    static func readTriggers(_ value: JSONValue, field: String = "triggers", among allowed: [EventKind] = EventKind.reported) throws(FieldError) -> [EventKind] {
        guard let array = value.arrayValue, !array.isEmpty else {
            throw FieldError(field, "must be a non-empty array of \(allowed.map(\.rawValue).joined(separator: ", "))")
        }
        var kinds: [EventKind] = []
        for (index, element) in array.enumerated() {
            guard let name = element.stringValue, let kind = EventKind(rawValue: name), allowed.contains(kind) else {
                throw FieldError("\(field)[\(index)]", "must be one of \(allowed.map(\.rawValue).joined(separator: ", "))")
            }
            if !kinds.contains(kind) { kinds.append(kind) }
        }
        return kinds
    }

    static func readRetry(_ value: JSONValue, base: RetryPolicy) throws(FieldError) -> RetryPolicy {
        let object = try ObjectReader(value, at: "retry", fields: ["schedule", "max_age"], subject: "retry").object
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
}
