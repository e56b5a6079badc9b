import Testing
@testable import HooklineCore

@Suite struct TemplateTextTests {
    @Test func splitsTokensFromText() {
        let text = TemplateText(parsing: "Call from %ani% at 100%% to %tracking%")
        #expect(text.segments == [.literal("Call from "), .token("ani"), .literal(" at 100% to "), .token("tracking")])
    }

    @Test func leavesPercentEncodingAndStrayPercentsAlone() {
        #expect(TemplateText(parsing: "a%20b%2Fc 50% off").segments == [.literal("a%20b%2Fc 50% off")])
        #expect(TemplateText(parsing: "%%ani%%").segments == [.literal("%ani%")])
    }

    @Test func knowsASoleToken() {
        #expect(TemplateText(parsing: "%duration%").soleToken == "duration")
        #expect(TemplateText(parsing: " %duration%").soleToken == nil)
    }
}

@Suite struct JSONTemplateTests {
    func render(_ body: String, _ values: JSONObject) throws -> JSONValue {
        let bytes = try Template(format: .json, body: body).compile().render(values)
        return try JSONParser.parse(bytes)
    }

    @Test func aSoleTokenTakesItsValuesType() throws {
        let values: JSONObject = [
            "answered_time": 29, "ani": "7776734736", "tags": ["Region": "south"],
            "prompt_responses": [["question": "one", "response": "1"]], "visitor_lat": 34.15,
        ]
        let out = try render(
            #"{"d": "%answered_time%", "phone": "%ani%", "tags": "%tags%", "ivr": "%prompt_responses%", "lat": "%visitor_lat%", "missing": "%gclid%"}"#,
            values)
        #expect(out == ["d": 29, "phone": "7776734736", "tags": ["Region": "south"], "ivr": [["question": "one", "response": "1"]], "lat": 34.15, "missing": nil])
    }

    @Test func textAroundTokensIsInterpolated() throws {
        let out = try render(#"{"title": "Call from %ani% (%answered_time% s), 100%%", "n": "%gclid%-x"}"#, ["ani": "777", "answered_time": 29])
        #expect(out == ["title": "Call from 777 (29 s), 100%", "n": "-x"])
    }

    @Test func keepsTheTemplatesOrderConstantsAndNesting() throws {
        let bytes = try Template(format: .json, body: #"{"z": 1, "a": {"b": ["%callid%", true, null]}, "k_%callid%": "v"}"#).compile().render(["callid": "c1"])
        #expect(String(decoding: bytes, as: UTF8.self) == #"{"z":1,"a":{"b":["c1",true,null]},"k_c1":"v"}"#)
    }

    @Test func valuesWithQuotesAndNonLatinTextStayValidJSON() throws {
        let tricky = "He said \"привет\" <b>&</b> 100%\n\\ end"
        let out = try render(#"{"a": "%ani_full_name%", "b": "name: %ani_full_name%"}"#, ["ani_full_name": .string(tricky)])
        #expect(out == ["a": .string(tricky), "b": .string("name: " + tricky)])
    }

    @Test func refusesSyntaxErrorsWithLineAndColumn() {
        #expect(throws: TemplateError.syntax(message: "expected ',' or '}' in object", line: 2, column: 12)) {
            try Template(format: .json, body: "{\n  \"a\": \"x\" \"b\": 1}").compile()
        }
    }

    @Test func refusesUnknownTokensNamingTheNearest() {
        #expect(throws: TemplateError.unknownToken(name: "calid", nearest: ["callid", "gclid", "yclid"])) {
            try Template(format: .json, body: #"{"id": "%calid%"}"#).compile()
        }
    }
}
