import Crypto

/// Secrets that authenticate API callers. Only their SHA-256 digest is stored, so a copy of the
/// database does not hand out working keys.
public enum APIKey {
    /// A new random key: `prefix_` then 64 hex digits (256 bits).
    public static func generate(prefix: String) -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in generator.next() as UInt8 }
        return prefix + "_" + Hex.encode(bytes)
    }

    public static func digest(_ key: String) -> String {
        sha256Hex(Array(key.utf8))
    }

    public static func sha256Hex(_ bytes: [UInt8]) -> String {
        Hex.encode(SHA256.hash(data: bytes))
    }

    public static let accountPrefix = "hk"
    public static let adminPrefix = "hka"
}
