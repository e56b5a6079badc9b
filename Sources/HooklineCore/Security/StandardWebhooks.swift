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
        SigningKey(secret: secret)?.signature(id: id, timestamp: timestamp, body: body)
    }

    /// The `webhook-signature` header value: one signature per key, space-separated, so a
    /// receiver that still knows only the previous secret keeps verifying during a rotation.
    public static func signatureHeader(id: String, timestamp: Int64, body: [UInt8], keys: [SigningKey]) -> String {
        keys.map { $0.signature(id: id, timestamp: timestamp, body: body) }.joined(separator: " ")
    }

    /// A secret's HMAC, keyed once and copied for each message: keying pads the key and hashes
    /// a block twice, which cost more than signing a delivery's body.
    public struct SigningKey: @unchecked Sendable {
        // Unchecked because `HMAC<SHA256>` holds swift-crypto's digest contexts, classes it does
        // not mark Sendable. They are copy-on-write: `update` copies a context that is not
        // uniquely referenced, and `finalize` reads it into a local copy, so a context this key
        // shares with its copies is only ever read, from any thread.
        private let keyed: HMAC<SHA256>

        /// Nil when the secret is not `whsec_<base64>`.
        public init?(secret: String) {
            guard let key = StandardWebhooks.key(of: secret) else { return nil }
            keyed = HMAC<SHA256>(key: SymmetricKey(data: key))
        }

        /// `v1,<signature>`.
        public func signature(id: String, timestamp: Int64, body: [UInt8]) -> String {
            var mac = keyed
            // Fed in parts: the body is signed where it lies, not copied behind its prefix.
            mac.update(data: Array("\(id).\(timestamp).".utf8))
            mac.update(data: body)
            return "v1," + Data(mac.finalize()).base64EncodedString()
        }
    }

    /// Checks a header as a receiver would (used by tests and by anyone verifying with Hookline's code).
    public static func verify(id: String, timestamp: Int64, body: [UInt8], header: String, secret: String) -> Bool {
        guard let expected = signature(id: id, timestamp: timestamp, body: body, secret: secret) else { return false }
        return header.split(separator: " ").contains { $0 == expected }
    }
}
