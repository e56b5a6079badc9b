/// Keeps secrets out of attempt records and logs.
public enum Redaction {
    public static let placeholder = "[redacted]"

    /// A header whose name holds one of these words carries a credential (`X-Session`,
    /// `Proxy-Authorization`, `X-Api-Key`, `Set-Cookie`, `webhook-signature`, …).
    private static let secretWords = ["auth", "token", "key", "secret", "session", "cookie", "password", "passwd", "signature"]

    public static func isSecret(headerName name: String) -> Bool {
        var name = name
        // On the name's own bytes, lowered as compared: every header of every attempt comes here.
        return name.withUTF8 { bytes in secretWordBytes.contains { contains(lowercase: $0, in: bytes) } }
    }

    /// Whether `bytes`, their ASCII capitals lowered, hold `word` (lowercase ASCII) anywhere.
    private static func contains(lowercase word: [UInt8], in bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard bytes.count >= word.count else { return false }
        return (0...(bytes.count - word.count)).contains { start in
            word.indices.allSatisfy { offset in
                let byte = bytes[start + offset]
                return (byte >= 65 && byte <= 90 ? byte + 32 : byte) == word[offset]
            }
        }
    }

    private static let secretWordBytes = secretWords.map { Array($0.utf8) }

    public static func redacted(_ headers: [HeaderField]) -> [HeaderField] {
        headers.map { isSecret(headerName: $0.name) ? HeaderField(name: $0.name, value: placeholder) : $0 }
    }

    /// The URL with the password of its user information, if any, and a Telegram bot's token in
    /// its path (`/bot123456:AA…/sendMessage`, a notification channel's address) replaced.
    public static func redacted(url: String) -> String {
        let url = redactedBotToken(url)
        guard let schemeEnd = firstRange(of: Array("://".utf8), in: url) else { return url }
        // Found on the bytes: the delimiters are ASCII, so each index found is a character's start.
        let bytes = url.utf8
        let authorityEnd = bytes[schemeEnd.upperBound...].firstIndex { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") }
            ?? bytes.endIndex
        let authority = bytes[schemeEnd.upperBound..<authorityEnd]
        guard let at = authority.lastIndex(of: UInt8(ascii: "@")), let colon = authority[..<at].firstIndex(of: UInt8(ascii: ":")) else { return url }
        return String(url[..<bytes.index(after: colon)]) + placeholder + String(url[at...])
    }

    /// `/bot<digits>:<token>/` → `/bot[redacted]/`.
    private static func redactedBotToken(_ url: String) -> String {
        guard let bot = firstRange(of: Array("/bot".utf8), in: url) else { return url }
        let rest = url[bot.upperBound...]
        let segment = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        guard let colon = segment.firstIndex(of: ":"), colon > segment.startIndex, segment[..<colon].allSatisfy(\.isNumber) else { return url }
        return String(url[..<bot.upperBound]) + placeholder + String(rest[segment.endIndex...])
    }

    /// Where `needle` first occurs in `text`, found on the UTF-8 bytes: Foundation's `range(of:)`
    /// and the standard library's generic `firstRange(of:)` each cost about 1 % of a delivery's CPU.
    private static func firstRange(of needle: [UInt8], in text: String) -> Range<String.Index>? {
        let bytes = text.utf8
        var from = bytes.startIndex
        while let start = bytes[from...].firstIndex(of: needle[0]) {
            var end = start
            var matched = true
            for byte in needle {
                guard end != bytes.endIndex, bytes[end] == byte else {
                    matched = false
                    break
                }
                end = bytes.index(after: end)
            }
            if matched { return start..<end }
            from = bytes.index(after: start)
        }
        return nil
    }
}
