import HooklineCore
import Testing

/// What a template or an event may hold is bounded where it is saved.
@Suite struct SecretsAndBoundsTests {
    @Test func aFormatOnlyFitsTimestamps() throws {
        #expect(throws: TemplateError.misappliedFormat(name: "unix", token: "ani", type: .string)) {
            try Template(format: .json, body: #"{"a": "%ani|unix%"}"#).compile()
        }
        _ = try Template(format: .json, body: #"{"a": "%call_start_time|unix%"}"#).compile()
    }

    @Test func durationsAndCountsAreNeverNegative() throws {
        let validator = TokenValidator()
        #expect(throws: FieldError("answered_time", "must be 0 or more")) { try validator.validate(["answered_time": -1], for: .callEnd) }
        #expect(throws: FieldError("repeat_caller", "must be from 0 to 1")) { try validator.validate(["repeat_caller": 2], for: .callBegin) }
        #expect(try validator.validate(["answered_time": 0, "repeat_caller": 1], for: .callEnd)["answered_time"] == 0)
    }

    @Test func aPhoneNumberPast64BitsKeepsItsDigits() throws {
        let body = try JSONParser.parse(#"{"ani": 123456789012345678901234567890, "dialed_time": 12}"#)
        let values = try TokenValidator().validate(body, for: .callEnd)
        #expect(values["ani"] == "123456789012345678901234567890")
        #expect(throws: FieldError.self) { try TokenValidator().validate(try JSONParser.parse(#"{"dialed_time": 123456789012345678901234567890}"#), for: .callEnd) }
    }
}
