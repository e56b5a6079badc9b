import HooklineCore

extension AutoDisable {
    /// `auto_disable_days` as the API and the Webhooks page's form take it: a whole number of days
    /// from 0 (never) to `longestDays`.
    static func read(_ value: JSONValue) throws(FieldError) -> AutoDisable {
        guard let days = value.integerValue, (0...Int64(longestDays)).contains(days) else {
            throw FieldError("auto_disable_days", "must be a whole number of days from 0 (never) to \(longestDays)")
        }
        return AutoDisable(days: Int(days))
    }
}
