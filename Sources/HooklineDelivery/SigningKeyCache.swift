import HooklineCore
import Synchronization

/// Webhook secrets keyed for signing once, not once per attempt.
///
/// Bounded: a rotated or deleted secret is never asked for again, and nothing tells the sender.
/// When the cache is full it starts over; the secrets in use are keyed again as they come.
final class SigningKeyCache: Sendable {
    let capacity: Int
    private let keys = Mutex<[String: StandardWebhooks.SigningKey]>([:])

    init(capacity: Int = 10_000) {
        self.capacity = capacity
    }

    var count: Int { keys.withLock { $0.count } }

    /// The keys of `secrets`, in their order; a secret that is not `whsec_<base64>` signs nothing.
    func keys(for secrets: [String]) -> [StandardWebhooks.SigningKey] {
        secrets.compactMap { secret in
            if let key = keys.withLock({ $0[secret] }) { return key }
            guard let key = StandardWebhooks.SigningKey(secret: secret) else { return nil }
            keys.withLock { keys in
                if keys.count >= capacity { keys.removeAll() }
                keys[secret] = key
            }
            return key
        }
    }
}
