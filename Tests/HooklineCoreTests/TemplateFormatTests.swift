import Foundation
import FoundationXML
import HooklineCore
import PropertyBased
import Testing

/// Values that stress every format: quotes, markup, ampersands, percents, line breaks, tabs and
/// non-Latin text (half the seeds are Russian).
var awkwardText: Generator<String, some SendableSequenceType> {
    Gen<Character>.oneOf(
    Gen.letterOrNumber.compactMap { $0 },
    Gen.always("\""), Gen.always("'"), Gen.always("<"), Gen.always(">"), Gen.always("&"), Gen.always("%"), Gen.always("="),
    Gen.always("+"), Gen.always(" "), Gen.always("\n"), Gen.always("\r\n"), Gen.always("\t"), Gen.always("#"), Gen.always("?"),
    Gen.character(in: "а"..."я"), Gen.character(in: "А"..."Я"), Gen.always("ё"), Gen.always("€"), Gen.always("😀"), Gen.always("\\")
).string(of: 0...24)
}

/// Parses XML with Foundation's parser (libxml2), independent of Hookline's own reader.
final class XMLTextCollector: NSObject, XMLParserDelegate, @unchecked Sendable {
    // Used by one parse on one thread, then read; never shared.
    var texts: [String: String] = [:]
    var attributes: [String: [String: String]] = [:]
    private var path: [String] = []

    static func parse(_ bytes: [UInt8]) -> XMLTextCollector? {
        let collector = XMLTextCollector()
        let parser = XMLParser(data: Data(bytes))
        parser.delegate = collector
        return parser.parse() ? collector : nil
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        path.append(name)
        self.attributes[path.joined(separator: "/")] = attributes
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        texts[path.joined(separator: "/"), default: ""] += string
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        path.removeLast()
    }
}

@Suite struct TemplateFormatTests {
    @Test func anyValueSurvivesJSON() async {
        await propertyCheck(count: 300, input: awkwardText) { text in
            let bytes = try! Template(format: .json, body: #"{"a": "%ani%", "b": "x %ani% y"}"#).compile().render(["ani": .string(text)])
            let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: String]
            #expect(object?["a"] == text)
            #expect(object?["b"] == "x \(text) y")
        }
    }

    @Test func anyValueSurvivesXML() async {
        await propertyCheck(count: 300, input: awkwardText) { text in
            let template = Template(format: .xml, body: #"<?xml version="1.0" encoding="UTF-8"?><call id="%ani%"><caller>%ani%</caller><note>Call: %ani%!</note></call>"#)
            let bytes = try! template.compile().render(["ani": .string(text)])
            let parsed = XMLTextCollector.parse(bytes)
            #expect(parsed != nil, "not well-formed: \(String(decoding: bytes, as: UTF8.self))")
            #expect(parsed?.texts["call/caller", default: ""] == text)
            #expect(parsed?.texts["call/note"] == "Call: \(text)!")
            #expect(parsed?.attributes["call"]?["id"] == text)
        }
    }

    @Test func anyValueSurvivesFormAndQuery() async {
        await propertyCheck(count: 300, input: awkwardText, awkwardText) { name, text in
            for format in [TemplateFormat.form, .query] {
                let bytes = try! Template(format: format, body: "phone=%ani%&note=Call %ani%").compile().render(["ani": .string(text)])
                let encoded = String(decoding: bytes, as: UTF8.self)
                #expect(!encoded.contains(" ") && !encoded.contains("\n"))
                let pairs = (format == .form ? FormEncoding.form : .query).decode(encoded)
                #expect(pairs.map(\.name) == ["phone", "note"])
                #expect(pairs.map(\.value) == [text, "Call \(text)"])
                if format == .query {
                    // Any URL parser reads the same values back.
                    let items = URLComponents(string: "http://h/p?" + encoded)?.queryItems
                    #expect(items?.map { $0.value ?? "" } == [text, "Call \(text)"])
                }
            }
            _ = name
        }
    }

    /// Nested values (as `tags`, `prompt_responses`, `managers_phones` hold): a JSON document keeps
    /// them as they are, a form or query sends them as JSON text that parses back to them.
    @Test func anyNestedValueSurvivesEveryFormat() async {
        await propertyCheck(count: 200, input: awkwardText.array(of: 0...4), Gen.int(in: -1000...1000)) { texts, number in
            let nested: JSONValue = .array(texts.map { ["response": .string($0), "n": .integer(Int64(number))] })
            let values: JSONObject = ["prompt_responses": nested]
            let json = try! Template(format: .json, body: #"{"p": "%prompt_responses%"}"#).compile().render(values)
            #expect((try? JSONParser.parse(json)) == ["p": nested])
            #expect((try? JSONSerialization.jsonObject(with: Data(json))) != nil)
            for format in [TemplateFormat.form, .query] {
                let bytes = try! Template(format: format, body: "p=%prompt_responses%").compile().render(values)
                let pairs = (format == .form ? FormEncoding.form : .query).decode(String(decoding: bytes, as: UTF8.self))
                #expect((try? JSONParser.parse(pairs.first?.value ?? "")) == nested)
            }
            let xml = try! Template(format: .xml, body: "<call><ivr>%prompt_responses%</ivr></call>").compile().render(values)
            let parsed = XMLTextCollector.parse(xml)
            #expect(parsed != nil)
            if let first = texts.first { #expect(parsed?.texts["call/ivr/item/response", default: ""].hasPrefix(first) == true) }
        }
    }

    @Test func characterXMLCannotCarryBecomesAReplacement() throws {
        let bytes = try Template(format: .xml, body: "<a>%ani%</a>").compile().render(["ani": "bell\u{7}"])
        #expect(String(decoding: bytes, as: UTF8.self) == "<a>bell\u{FFFD}</a>")
    }

    @Test func nestedValuesTakeEachFormatsShape() throws {
        let values: JSONObject = [
            "tags": ["Region": "south", "Kind": "new car"],
            "prompt_responses": [["question": "one", "response": "1"]],
            "managers_phones": [["manager_name": "", "phone": "79999999999"]],
            "answered_time": 29,
        ]
        let json = try JSONParser.parse(try Template(format: .json, body: #"{"t": "%tags%", "p": "%prompt_responses%", "d": "%answered_time%", "s": "%answered_time% s"}"#).compile().render(values))
        #expect(json == ["t": ["Region": "south", "Kind": "new car"], "p": [["question": "one", "response": "1"]], "d": 29, "s": "29 s"])

        let xml = String(decoding: try Template(format: .xml, body: "<call><tags>%tags%</tags><ivr>%prompt_responses%</ivr></call>").compile().render(values), as: UTF8.self)
        #expect(xml == "<call><tags><Region>south</Region><Kind>new car</Kind></tags><ivr><item><question>one</question><response>1</response></item></ivr></call>")

        let form = String(decoding: try Template(format: .form, body: "managers_phones=%managers_phones%").compile().render(values), as: UTF8.self)
        #expect(FormEncoding.form.decode(form).first?.value == #"[{"manager_name":"","phone":"79999999999"}]"#)
    }

    @Test func aLiteralPercentAndFormats() throws {
        let values: JSONObject = ["call_start_time": "2019-02-19T00:00:00.000Z", "answered_time": 20]
        let json = try JSONParser.parse(try Template(format: .json, body: #"{"date": "%call_start_time|datetime%", "day": "%call_start_time|date%", "unix": "%call_start_time|unix%", "rate": "100%% of %answered_time%"}"#).compile().render(values))
        #expect(json == ["date": "2019-02-19 00:00:00", "day": "2019-02-19", "unix": 1_550_534_400, "rate": "100% of 20"])
        #expect(throws: TemplateError.unknownFormat(name: "shout")) { try Template(format: .json, body: #"{"a": "%ani|shout%"}"#).compile() }
    }

    @Test func syntaxErrorsNameLineAndColumn() {
        #expect(throws: TemplateError.syntax(message: "closing tag </b> does not match <a>", line: 2, column: 7)) {
            try Template(format: .xml, body: "<a>\n  <x/></b>").compile()
        }
        #expect(throws: TemplateError.syntax(message: "expected name=value, found 'oops'", line: 2, column: 1)) {
            try Template(format: .form, body: "a=%ani%\noops").compile()
        }
        #expect(throws: TemplateError.syntax(message: "'<' is not allowed in attribute value", line: 1, column: 10)) {
            try Template(format: .xml, body: #"<a id="x></a>"#).compile()
        }
        #expect(throws: TemplateError.unknownToken(name: "caller_id", nearest: ["callid", "file_id", "order_id"])) {
            try Template(format: .query, body: "id=%caller_id%").compile()
        }
    }

    @Test func contentTypesFollowTheFormat() {
        #expect(TemplateFormat.json.contentType == "application/json")
        #expect(TemplateFormat.xml.contentType == "application/xml")
        #expect(TemplateFormat.form.contentType == "application/x-www-form-urlencoded")
        #expect(TemplateFormat.query.contentType == nil)
    }

    @Test func queryParametersJoinTheURL() throws {
        let settings = WebhookSettings(
            name: "crm", url: "https://crm.example/hook?site=1#top", method: .get, headers: [HeaderField(name: "X-Call", value: "%callid%\r\nX-Evil: 1")],
            template: .inline(Template(format: .query, body: "id=%callid%&title=Звонок")), triggers: [.callBegin])
        let payload = try settings.compile(for: .callBegin).render(["callid": "c 1"])
        #expect(payload.body.isEmpty && payload.contentType == nil)
        #expect(payload.url(from: settings.url) == "https://crm.example/hook?site=1&id=c%201&title=%D0%97%D0%B2%D0%BE%D0%BD%D0%BE%D0%BA#top")
        // A header value from an event cannot add a header line.
        #expect(payload.headers == [HeaderField(name: "X-Call", value: "c 1  X-Evil: 1")])
    }
}
