import Testing
@testable import HooklineCore

@Suite struct JSONParserTests {
    @Test func parsesEveryKindOfValueKeepingKeyOrder() throws {
        let value = try JSONParser.parse(#"{"z": 1, "a": [true, false, null], "m": -2.5e1, "s": "x\"y\\u0041\n", "big": 12345678901234}"#)
        let object = try #require(value.objectValue)
        #expect(object.keys == ["z", "a", "m", "s", "big"])
        #expect(object["z"] == .integer(1))
        #expect(object["a"] == [true, false, nil])
        #expect(object["m"] == .decimal(-25))
        #expect(object["s"] == .string("x\"y\\u0041\n"))
        #expect(object["big"] == .integer(12_345_678_901_234))
    }

    @Test func decodesEscapesAndSurrogatePairs() throws {
        #expect(try JSONParser.parse(#""\u0041\u00e9\ud83d\ude00\/\t""#) == .string("Aé😀/\t"))
        #expect(try JSONParser.parse(#""Привет, мир""#) == .string("Привет, мир"))
    }

    @Test(arguments: [
        ("{\"a\": 1,\n  \"b\": }", 2, 8, "unexpected character '}'"),
        ("[1, 2", 1, 6, "expected ',' or ']' in array"),
        ("{\"a\" 1}", 1, 6, "expected ':' after key"),
        ("\"abc", 1, 1, "unterminated string"),
        ("01", 1, 1, "leading zero in number"),
        ("{\"a\":1,\"a\":2}", 1, 8, "duplicate key \"a\""),
        ("[1] x", 1, 5, "unexpected text after the document"),
        ("{\"имя\": tru}", 1, 9, "invalid literal"),
        ("\"\\ud800\"", 1, 8, "unpaired surrogate in \\u escape"),
    ])
    func reportsWhereADocumentIsMalformed(text: String, line: Int, column: Int, message: String) {
        #expect(throws: JSONParser.SyntaxError(message: message, line: line, column: column)) { try JSONParser.parse(text) }
    }

    @Test func refusesDocumentsNestedTooDeeply() {
        let deep = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect(throws: JSONParser.SyntaxError.self) { try JSONParser.parse(deep) }
    }
}

@Suite struct JSONWriterTests {
    @Test func writesCompactlyWithEscapes() {
        let value: JSONValue = ["b": "line\nbreak \"quoted\" \u{01}", "a": [1, 2.5, nil, true], "c": [:]]
        #expect(value.jsonText == #"{"b":"line\nbreak \"quoted\" \u0001","a":[1,2.5,null,true],"c":{}}"#)
    }

    @Test func escapesLineSeparatorsAndControlBytesOnly() {
        #expect(JSONValue.string("a\u{2028}b\u{2029}c\u{1F}\u{08}\u{0C}").jsonText == #""a\u2028b\u2029c\u001f\b\f""#)
        // Other characters whose UTF-8 starts with E2 (U+2027, U+20AC) are written as they are.
        #expect(JSONValue.string("\u{2027}€\u{7F}").jsonText == "\"\u{2027}€\u{7F}\"")
        #expect(JSONValue.string("end\u{E2}").jsonText == "\"end\u{E2}\"")
    }

    @Test func roundTripsText() throws {
        let samples = ["", "Звонок от 79990009911", "<a href=\"x\">&amp;</a>", "100% \\ done", "tab\there", "😀 \u{2028}"]
        for sample in samples {
            #expect(try JSONParser.parse(JSONValue.string(sample).jsonText) == .string(sample))
        }
    }
}
