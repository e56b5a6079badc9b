import HooklineCore
import HooklineStore
import Hummingbird

/// Bulk replays from the delivery log: "Replay these" starts a job for the log's filter, and the
/// job's page shows its progress until it is done, with Cancel while it runs.
struct ReplayPages {
    let store: any Store
    let pages: Pages

    func addRoutes(to group: RouterGroup<HooklineRequestContext>) {
        group.post("replays", use: start)
        group.get("replays/{id}", use: show)
        group.post("replays/{id}/cancel", use: cancel)
    }

    /// What the log's filter replays: its status as a replay's outcome (a held delivery has
    /// nothing to replay yet), its webhook and its call or lead.
    static func filter(webhookID: String?, status: DeliveryStatus?, subjectID: String?) -> ReplayFilter? {
        let outcome: ReplayFilter.Outcome
        switch status {
        case .dead: outcome = .dead
        case .delivered: outcome = .delivered
        case .pending: outcome = .failed
        case .held, nil: return nil
        }
        return ReplayFilter(webhookID: webhookID, outcomes: [outcome], subjectIDs: subjectID.map { [$0] } ?? [])
    }

    @Sendable func start(request: Request, context: HooklineRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let form = try await FormFields.of(request, context: context)
        func given(_ name: String) -> String? { form[name].flatMap { $0.isEmpty ? nil : $0 } }
        let status = try given("status").map { text in
            guard let status = DeliveryStatus(rawValue: text) else { throw FieldError("status", "must be dead, delivered or pending") }
            return status
        }
        guard let filter = Self.filter(webhookID: given("webhook_id"), status: status, subjectID: given("subject_id")) else {
            throw FieldError("status", "choose dead, delivered or pending deliveries to replay")
        }
        let job = try await BulkReplays(store: store).start(filter, accountID: account.id)
        return Pages.redirect(to: "/replays/\(job.id)")
    }

    @Sendable func show(request: Request, context: HooklineRequestContext) async throws -> Response {
        let (account, id) = try context.requireAccountAndID()
        let job = try found(try await store.replayJob(id: id, accountID: account.id), "replay", id)
        let names = Dictionary(try await store.webhooks(accountID: account.id).map { ($0.id, $0.settings.name) }, uniquingKeysWith: { first, _ in first })
        return pages.render(.replay, title: "Replay \(id)", context: context, nav: .deliveries, ReplayView(job, webhookNames: names))
    }

    @Sendable func cancel(request: Request, context: HooklineRequestContext) async throws -> Response {
        let (account, id) = try context.requireAccountAndID()
        _ = try found(try await store.cancelReplayJob(id: id, accountID: account.id, now: .now), "replay", id)
        return Pages.redirect(to: "/replays/\(id)")
    }
}
