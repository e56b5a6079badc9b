import Crypto

/// Secrets that authenticate API callers. Only their SHA-256 digest is stored, so a copy of the
/// database does not hand out working keys.
public enum APIKey {
    /// A new random key: `prefix_` then 64 hex digits (256 bits).
    public static func generate(prefix: String) -> String {
        var generator = SystemRandomNumberGenerator()
        let words = (0..<4).map { _ in generator.next() as UInt64 }
        return prefix + "_" + words.map { word in
            let hex = String(word, radix: 16)
            return String(repeating: "0", count: 16 - hex.count) + hex
        }.joined()
    }

    public static func digest(_ key: String) -> String {
        sha256Hex(Array(key.utf8))
    }

    public static func sha256Hex(_ bytes: [UInt8]) -> String {
        SHA256.hash(data: bytes).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    public static let accountPrefix = "hk"
    public static let adminPrefix = "hka"
}
