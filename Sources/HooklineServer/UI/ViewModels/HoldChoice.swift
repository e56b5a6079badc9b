import HooklineCore

/// The forms' "wait for the recording up to N minutes": a webhook's hold as a checkbox and a
/// number of minutes. A hold the API set on other tokens keeps them; a new one waits for the
/// recording. Read into the API's `hold` field, so its checks are the API's.
struct HoldChoice: Sendable {
    var on: Bool
    var minutes: String
    var tokens: [String]

    static let recording = ["rec_audiourl"]
    static let defaultMinutes = "15"

    /// What the page shows: whether it is on, for how long, and for what.
    struct View {
        let on: Bool
        let minutes: String
        let waitsFor: String
        let tokens: [String]
        let longest: Int
    }

    init(_ rule: HoldRule?) {
        on = rule != nil
        minutes = rule.map { String(max(1, $0.maxSeconds / 60)) } ?? Self.defaultMinutes
        tokens = rule?.until ?? Self.recording
    }

    init(form: FormFields) {
        on = form["hold"] == "on"
        minutes = form["hold_minutes"] ?? Self.defaultMinutes
        tokens = form.all("hold_token").filter { !$0.isEmpty }
        if tokens.isEmpty { tokens = Self.recording }
    }

    var view: View {
        View(on: on, minutes: minutes, waitsFor: tokens.joined(separator: ", "), tokens: tokens, longest: HoldRule.longestSeconds / 60)
    }

    /// The form fields that carry it from one wizard step to the next.
    var hidden: [(String, String)] {
        (on ? [("hold", "on")] : []) + [("hold_minutes", minutes)] + tokens.map { ("hold_token", $0) }
    }

    /// The API's `hold`: null when off; minutes as seconds.
    func json() throws(FieldError) -> JSONValue {
        guard on else { return .null }
        let longest = HoldRule.longestSeconds / 60
        guard let count = Int(minutes.trimmingCharacters(in: .whitespaces)), (1...longest).contains(count) else {
            throw FieldError("hold", "wait for a whole number of minutes from 1 to \(longest)")
        }
        return ["until": .array(tokens.map(JSONValue.string)), "max_seconds": .integer(Int64(count * 60))]
    }
}
