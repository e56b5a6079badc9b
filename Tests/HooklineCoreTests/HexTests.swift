import Testing
import HooklineCore

@Suite struct HexTests {
    @Test func eachByteIsTwoDigitsWithItsLeadingZero() {
        #expect(Hex.encode([0x00, 0x0F, 0xF0, 0xFF, 0x5A]) == "000ff0ff5a")
        #expect(Hex.encode([0x0A, 0xBC], uppercase: true) == "0ABC")
        #expect(Hex.encode([UInt8]()) == "")
    }

    @Test func anAPIKeyIsStoredAsItsSHA256InLowercaseHex() {
        #expect(APIKey.digest("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func aNewKeyIsItsPrefixAnd64HexDigits() {
        let key = APIKey.generate(prefix: "hk")
        #expect(key.hasPrefix("hk_"))
        #expect(key.utf8.count == 3 + 64)
        #expect(key.dropFirst(3).allSatisfy { $0.isHexDigit && !$0.isUppercase })
        #expect(APIKey.generate(prefix: "hk") != key)
    }

    @Test func formEncodingEscapesABytePercentAndTwoUppercaseDigits() {
        #expect(FormEncoding.query.encode("a b/\u{7}é") == "a%20b%2F%07%C3%A9")
        #expect(FormEncoding.form.encode("a b") == "a+b")
    }
}
