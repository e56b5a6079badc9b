import Testing
import HooklineCore

@Suite struct IdentifierTests {
    @Test func anIdentifierIsItsPrefixTheClockInHexAndSixteenRandomHexDigits() {
        let id = Identifier.make("dlv", at: Timestamp(millisecondsSince1970: 0x18b_cfe5_6800))
        #expect(id.hasPrefix("dlv_018bcfe56800"))
        #expect(id.utf8.count == "dlv_".utf8.count + 28)
        #expect(id.dropFirst(16).allSatisfy { $0.isHexDigit && !$0.isUppercase })
        #expect(Identifier.make("dlv", at: Timestamp(millisecondsSince1970: 0x18b_cfe5_6800)) != id)
    }

    @Test func identifiersSortByTime() {
        let times = [0, 1, 15, 16, 255, 1_700_000_000_000, 1_700_000_000_001, 99_999_999_999_999].map(Timestamp.init(millisecondsSince1970:))
        let ids = times.map { Identifier.make("evt", at: $0) }
        #expect(ids == ids.sorted())
    }
}
