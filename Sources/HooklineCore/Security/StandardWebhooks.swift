import Crypto
import Foundation

/// Signing as the Standard Webhooks specification defines it: `webhook-id`, `webhook-timestamp`
/// and `webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, keyed by the bytes of
/// a `whsec_<base64>` secret.
public enum StandardWebhooks {
    public static let secretPrefix = "whsec_"

    /// A new secret: `whsec_` and 32 random bytes in base64.
    public static func generateSecret() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return secretPrefix + Data(bytes).base64EncodedString()
    }

    /// The key bytes of a secret, or nil when it is not `whsec_<base64>`.
    public static func key(of secret: String) -> [UInt8]? {
        guard secret.hasPrefix(secretPrefix), let data = Data(base64Encoded: String(secret.dropFirst(secretPrefix.count))), !data.isEmpty
        else { return nil }
        return Array(data)
    }

    /// `v1,<signature>` for one secret.
    public static func signature(id: String, timestamp: Int64, body: [UInt8], secret: String) -> String? {
        guard let key = key(of: secret) else { return nil }
        // Fed in parts: the body is signed where it lies, not copied behind its prefix.
        var mac = HMAC<SHA256>(key: SymmetricKey(data: key))
        mac.update(data: Array("\(id).\(timestamp).".utf8))
        mac.update(data: body)
        return "v1," + Data(mac.finalize()).base64EncodedString()
    }

    /// The `webhook-signature` header value: one signature per secret, space-separated, so a
    /// receiver that still knows only the previous secret keeps verifying during a rotation.
    public static func signatureHeader(id: String, timestamp: Int64, body: [UInt8], secrets: [String]) -> String {
        secrets.compactMap { signature(id: id, timestamp: timestamp, body: body, secret: $0) }.joined(separator: " ")
    }

    /// Checks a header as a receiver would (used by tests and by anyone verifying with Hookline's code).
    public static func verify(id: String, timestamp: Int64, body: [UInt8], header: String, secret: String) -> Bool {
        guard let expected = signature(id: id, timestamp: timestamp, body: body, secret: secret) else { return false }
        return header.split(separator: " ").contains { $0 == expected }
    }
}
