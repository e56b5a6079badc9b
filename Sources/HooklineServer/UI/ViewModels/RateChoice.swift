import HooklineCore

/// The edit form's "at most N requests every S seconds": a webhook's rate limit as two numbers,
/// both empty for none. Read into the API's `rate_limit` field, so its checks are the API's.
struct RateChoice: Sendable {
    var requests: String
    var seconds: String

    init(_ limit: RateLimit?) {
        requests = limit.map { String($0.requests) } ?? ""
        seconds = limit.map { Pages.number($0.seconds) } ?? ""
    }

    init(form: FormFields) {
        requests = (form["rate_requests"] ?? "").trimmingCharacters(in: .whitespaces)
        seconds = (form["rate_seconds"] ?? "").trimmingCharacters(in: .whitespaces)
    }

    /// The API's `rate_limit`: null when both are empty.
    func json() throws(FieldError) -> JSONValue {
        if requests.isEmpty, seconds.isEmpty { return .null }
        guard let count = Int64(requests) else { throw FieldError("rate_limit", "give a whole number of requests, or leave both empty for no limit") }
        guard let interval = Double(seconds), interval.isFinite else { throw FieldError("rate_limit", "give a number of seconds, or leave both empty for no limit") }
        return ["requests": .integer(count), "seconds": .decimal(interval)]
    }
}
