import HooklineCore
import HooklineStore

/// Bulk replays as the API and the pages start them: a filter's preview, per webhook, and a job
/// made from it. A named webhook must be the account's.
struct BulkReplays {
    let store: any Store

    struct Preview {
        let total: Int
        /// Per webhook, the most first.
        let webhooks: [(webhook: Webhook, count: Int)]
    }

    func preview(_ filter: ReplayFilter, accountID: String) async throws -> Preview {
        try await requireWebhook(filter, accountID: accountID)
        let counts = try await store.replayPreview(accountID: accountID, filter: filter)
        let webhooks = try await store.webhooks(accountID: accountID)
            .compactMap { webhook in counts[webhook.id].map { (webhook: webhook, count: $0) } }
            .sorted { ($0.count, $1.webhook.id) > ($1.count, $0.webhook.id) }
        return Preview(total: counts.values.reduce(0, +), webhooks: webhooks)
    }

    func start(_ filter: ReplayFilter, accountID: String, now: Timestamp = .now) async throws -> ReplayJob {
        let preview = try await preview(filter, accountID: accountID)
        let job = ReplayJob(id: Identifier.make("rpl", at: now), accountID: accountID, filter: filter, total: preview.total, createdAt: now, updatedAt: now)
        try await store.insertReplayJob(job)
        return job
    }

    private func requireWebhook(_ filter: ReplayFilter, accountID: String) async throws {
        guard let id = filter.webhookID else { return }
        guard try await store.webhook(id: id, accountID: accountID) != nil else {
            throw FieldError("webhook_id", "no webhook \(Echo.quoted(id)) in this account", kind: .unusable)
        }
    }
}

extension BulkReplays.Preview {
    var json: JSONObject {
        [
            "dry_run": true, "total": .integer(Int64(total)),
            "webhooks": .array(webhooks.map { ["webhook_id": .string($0.webhook.id), "name": .string($0.webhook.settings.name), "count": .integer(Int64($0.count))] }),
        ]
    }
}
