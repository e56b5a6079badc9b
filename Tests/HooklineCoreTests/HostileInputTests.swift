import HooklineCore
import PropertyBased
import Testing

/// Inputs an outsider controls, at the size and depth that once stopped the process.
@Suite struct HostileInputTests {
    static func nestedXML(_ depth: Int) -> String {
        String(repeating: "<a>", count: depth) + String(repeating: "</a>", count: depth)
    }

    @Test func xmlNestedPastTheLimitIsASyntaxErrorNotACrash() throws {
        let deep = Self.nestedXML(35_000)
        #expect(throws: JSONParser.SyntaxError.self) { try XMLReader.parse(deep) }
        do {
            _ = try XMLReader.parse(deep)
        } catch {
            #expect(error.message.contains("deeper than \(XMLReader.maximumDepth)"))
        }
        _ = try XMLReader.parse(Self.nestedXML(XMLReader.maximumDepth))
        #expect(throws: TemplateError.self) { try Template(format: .xml, body: deep).compile() }
        #expect(throws: TemplateError.self) { try TemplateExtraction.fields(of: deep, format: .xml) }
    }

    @Test func aLongUnknownNameIsEchoedShortAndSearchedForNoNearestName() throws {
        let name = String(repeating: "x", count: 1_000_000)
        do {
            _ = try TokenValidator().validate(.object([name: 1]), for: .callBegin)
            Issue.record("an unknown token was accepted")
        } catch {
            #expect(error.field.utf8.count < 200)
            #expect(error.message.utf8.count < 300)
        }
        #expect(TokenCatalogue.standard.nearestNames(to: name).isEmpty)
        #expect(TokenCatalogue.standard.nearestNames(to: "ani_full_nam").first == "ani_full_name")
    }

    @Test func aTokenNameOfAnyLengthInATemplateIsRefusedBriefly() {
        let name = String(repeating: "y", count: 200_000)
        do {
            _ = try Template(format: .json, body: "{\"a\": \"%\(name)%\"}").compile()
            Issue.record("an unknown token was accepted")
        } catch {
            #expect(error.description.utf8.count < 300)
        }
    }

    /// A saved path is written as its description and read back when the webhook is loaded: one
    /// that did not read back (`$['\\']`) made every request of its account fail.
    @Test func everyJSONPathReadsBackFromItsDescription() async {
        await propertyCheck(count: 500, input: awkwardText) { key in
            for steps in [[JSONPath.Step.key(key)], [.key("a"), .key(key + "\\"), .index(3)], [.key("'" + key + "\\'")]] {
                let path = JSONPath(steps: steps)
                #expect((try? JSONPath(parsing: path.description))?.steps == steps, "\(path.description)")
            }
        }
    }
}
