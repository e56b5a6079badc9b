/// Keeps secrets out of attempt records and logs.
public enum Redaction {
    public static let placeholder = "[redacted]"

    private static let secretHeaders: Set<String> = ["authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key", "api-key"]
    private static let secretWords = ["secret", "token", "password", "passwd", "signature", "apikey", "api-key", "api_key", "auth"]

    public static func isSecret(headerName name: String) -> Bool {
        let lowered = Array(name.utf8.map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 })
        if secretHeaders.contains(String(decoding: lowered, as: UTF8.self)) { return true }
        return secretWordBytes.contains { word in
            lowered.count >= word.count && (0...(lowered.count - word.count)).contains { lowered[$0..<($0 + word.count)].elementsEqual(word) }
        }
    }

    private static let secretWordBytes = secretWords.map { Array($0.utf8) }

    public static func redacted(_ headers: [HeaderField]) -> [HeaderField] {
        headers.map { isSecret(headerName: $0.name) ? HeaderField(name: $0.name, value: placeholder) : $0 }
    }
}
