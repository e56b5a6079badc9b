import Foundation
import HooklineCore

/// A `POST /v1/conversions` body: the conversion's tokens and how to find its call, by its id or
/// by the caller's number and a window. What the API document cannot say (one of call_id and
/// caller, a currency's form, a window's length) is a 422, as every unusable input of the
/// documented shape is.
struct ConversionInput {
    enum CallReference {
        case id(String)
        case caller(ConversionMatch)
    }

    var call: CallReference
    var conversionID: String
    var values: JSONObject

    /// How far back a conversion looks for its call when the body gives no `from`.
    static let defaultWindowDays = 30
    static let referenceKeys: Set<String> = ["call_id", "caller", "from", "to"]

    init(_ body: JSONValue, validator: TokenValidator, now: Timestamp) throws {
        var values = try validator.validate(body, for: .callConverted, extraKeys: Self.referenceKeys)
        let given = Self.referenceKeys.reduce(into: JSONObject()) { given, key in given[key] = values[key] }
        for key in Self.referenceKeys { values[key] = nil }
        switch (given["call_id"], given["caller"]) {
        case (let id?, nil):
            guard let callID = SubjectKind.id(id) else { throw FieldError("call_id", "must be \(SubjectKind.idRule)", kind: .unusable) }
            guard given["from"] == nil, given["to"] == nil else { throw FieldError("from", "only with caller: a call given by its id needs no window", kind: .unusable) }
            call = .id(callID)
        case (nil, let caller?):
            call = .caller(try Self.match(caller: caller, given: given, convertedAt: values["converted_at"], now: now))
        case (.some, .some): throw FieldError("caller", "give call_id or caller, not both", kind: .unusable)
        case (nil, nil): throw FieldError("call_id", "is required: the call's id, or the caller's number in caller", kind: .unusable)
        }
        if let currency = values["conversion_currency"]?.stringValue {
            guard currency.utf8.count == 3, currency.utf8.allSatisfy({ (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) }) else {
                throw FieldError("conversion_currency", "must be an ISO 4217 code of three capital letters, such as USD, not '\(Echo.quoted(currency))'", kind: .unusable)
            }
        }
        if let id = values["conversion_id"], !id.isNull {
            guard let text = SubjectKind.id(id) else { throw FieldError("conversion_id", "must be \(SubjectKind.idRule)", kind: .unusable) }
            conversionID = text
        } else {
            conversionID = UUID().uuidString.lowercased()
        }
        values["conversion_id"] = .string(conversionID)
        self.values = values
    }

    /// The caller's digits and the window: up to `to` (the conversion's time, else now), from `from`
    /// (else `defaultWindowDays` before), at most `ConversionMatch.longestWindowDays` long.
    private static func match(caller: JSONValue, given: JSONObject, convertedAt: JSONValue?, now: Timestamp) throws -> ConversionMatch {
        let text = caller.stringValue ?? caller.integerValue.map { String($0) }
        guard let text, text.utf8.count <= 64 else { throw FieldError("caller", "must be the caller's phone number, as text of at most 64 characters", kind: .unusable) }
        let digits = Campaign.normalizedNumber(text)
        guard !digits.isEmpty else { throw FieldError("caller", "'\(Echo.quoted(text))' holds no digits of a phone number", kind: .unusable) }
        let to = try Timestamp.read(given["to"], field: "to", kind: .unusable) ?? convertedAt?.stringValue.flatMap(Timestamp.init(parsing:)) ?? now
        let from = try Timestamp.read(given["from"], field: "from", kind: .unusable) ?? to.adding(seconds: -Double(defaultWindowDays) * 86_400)
        guard from <= to else { throw FieldError("from", "must not be after to", kind: .unusable) }
        guard to.millisecondsSince1970 - from.millisecondsSince1970 <= Int64(ConversionMatch.longestWindowDays) * 86_400_000 else {
            throw FieldError("from", "the window from from to to may be at most \(ConversionMatch.longestWindowDays) days", kind: .unusable)
        }
        return ConversionMatch(caller: digits, from: from, to: to)
    }
}
