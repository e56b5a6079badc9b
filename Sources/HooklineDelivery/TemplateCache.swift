import HooklineCore
import Synchronization

/// Webhook templates compiled once per webhook version and event kind, not once per delivery.
///
/// Bounded: deleted webhooks are never asked for again, and nothing tells the sender they are
/// gone. When the cache is full, the entries not asked for again since they were made or since it
/// was last full go.
final class TemplateCache: Sendable {
    private struct Entry {
        var settings: WebhookSettings
        var compiled: CompiledWebhook
        var used: Bool
    }

    let capacity: Int
    private let entries = Mutex<[String: Entry]>([:])

    init(capacity: Int = 10_000) {
        self.capacity = capacity
    }

    var count: Int { entries.withLock { $0.count } }

    func compiled(_ webhook: Webhook, for kind: EventKind) throws(TemplateError) -> CompiledWebhook {
        let key = webhook.id + " " + kind.rawValue
        let cached = entries.withLock { entries -> CompiledWebhook? in
            // Compared by value: a change made in the same millisecond as the last one is still seen.
            guard var entry = entries[key], entry.settings == webhook.settings else { return nil }
            if !entry.used {
                entry.used = true
                entries[key] = entry
            }
            return entry.compiled
        }
        if let cached { return cached }
        let compiled = try webhook.settings.compile(for: kind)
        entries.withLock { entries in
            if entries[key] == nil, entries.count >= capacity {
                entries = entries.filter(\.value.used).mapValues { entry in
                    var entry = entry
                    entry.used = false
                    return entry
                }
                // Everything was in use: more webhooks are busy than the cache holds.
                if entries.count >= capacity { entries.removeAll() }
            }
            entries[key] = Entry(settings: webhook.settings, compiled: compiled, used: false)
        }
        return compiled
    }
}
