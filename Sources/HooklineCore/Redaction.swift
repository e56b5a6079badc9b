/// Keeps secrets out of attempt records and logs.
public enum Redaction {
    public static let placeholder = "[redacted]"

    private static let secretHeaders: Set<String> = ["authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key", "api-key"]
    private static let secretWords = ["secret", "token", "password", "passwd", "signature", "apikey", "api-key", "api_key", "auth"]

    public static func isSecret(headerName name: String) -> Bool {
        let lowered = name.lowercased()
        return secretHeaders.contains(lowered) || secretWords.contains { lowered.contains($0) }
    }

    public static func redacted(_ headers: [HeaderField]) -> [HeaderField] {
        headers.map { isSecret(headerName: $0.name) ? HeaderField(name: $0.name, value: placeholder) : $0 }
    }
}
