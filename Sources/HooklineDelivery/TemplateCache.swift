import HooklineCore
import Synchronization

/// Templates compiled once per webhook version, not once per delivery.
final class TemplateCache: Sendable {
    private let entries = Mutex<[String: (updatedAt: Timestamp, template: CompiledTemplate)]>([:])

    func compiled(_ template: Template, for webhook: Webhook) throws(TemplateError) -> CompiledTemplate {
        if let entry = entries.withLock({ $0[webhook.id] }), entry.updatedAt == webhook.updatedAt { return entry.template }
        let compiled = try template.compile()
        entries.withLock { $0[webhook.id] = (webhook.updatedAt, compiled) }
        return compiled
    }
}
