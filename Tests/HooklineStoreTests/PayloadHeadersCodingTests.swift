import Foundation
import HooklineCore
import Testing
@testable import HooklineStore

@Suite struct PayloadHeadersCodingTests {
    let headers = [HeaderField(name: "X-Call", value: "c1"), HeaderField(name: "X-Note", value: "\"q\" \\ e\u{301} \u{1}\t Я"), HeaderField(name: "", value: "")]

    /// Rows frozen before this coder were written by Foundation's: a retry reads them the same.
    @Test func readsWhatFoundationWroteAndWhatItWrites() throws {
        let foundation = String(decoding: try JSONEncoder().encode(headers), as: UTF8.self)
        #expect(try HeaderField.headers(payloadJSON: foundation) == headers)
        let written = HeaderField.payloadJSON(headers)
        #expect(try HeaderField.headers(payloadJSON: written) == headers)
        #expect(try JSONDecoder().decode([HeaderField].self, from: Data(written.utf8)) == headers)
        #expect(HeaderField.payloadJSON([]) == "[]")
    }

    @Test func aDamagedRowIsAnErrorNotLostHeaders() {
        for text in [#"{"name": "a", "value": "b"}"#, #"[{"name": "a"}]"#, #"[{"name": 1, "value": "b"}]"#, "[", ""] {
            #expect(throws: (any Error).self) { try HeaderField.headers(payloadJSON: text) }
        }
    }
}
