import Synchronization

/// Webhooks whose rows this process's transactions hold locked. An ingest tries a webhook's lock
/// with `SKIP LOCKED`, which fails while another transaction holds it; in a burst one of this
/// process's often does (another ingest, a record, a lease), and then the round trip is spared:
/// the delivery is written unleased, as when the try fails. A holder that commits in between only
/// leaves this ingest's delivery to a worker's lease, as losing the race a moment earlier would.
final class WebhookLocks: Sendable {
    private let held = Mutex<[String: Int]>([:])

    /// The webhook locks one transaction took, given back when it ends, committed or not.
    final class Taken: Sendable {
        private let registry: WebhookLocks
        private let webhookIDs = Mutex<[String]>([])

        init(in registry: WebhookLocks) {
            self.registry = registry
        }

        /// Whether another transaction of this process holds the webhook's row (this one may lock
        /// a row it holds again).
        func isHeldByAnother(_ webhookID: String) -> Bool {
            let mine = webhookIDs.withLock { $0.count { $0 == webhookID } }
            return registry.held.withLock { $0[webhookID] ?? 0 } > mine
        }

        func add(_ webhookID: String) {
            webhookIDs.withLock { $0.append(webhookID) }
            registry.held.withLock { $0[webhookID, default: 0] += 1 }
        }

        /// At the transaction's end, after each of its tries.
        func release() {
            let released = webhookIDs.withLock { ids in
                defer { ids = [] }
                return ids
            }
            guard !released.isEmpty else { return }
            registry.held.withLock { held in
                for id in released {
                    let count = (held[id] ?? 1) - 1
                    held[id] = count > 0 ? count : nil
                }
            }
        }
    }
}
