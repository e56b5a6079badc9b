import Hummingbird
import HooklineCore
import HooklineStore

/// Bulk replays of the calling account (`/v1/replays`): a preview with `dry_run`, then a job the
/// workers run a batch at a time, its progress, and its cancellation.
struct ReplaysController {
    let store: any Store

    static let listed = 100

    func addRoutes(to group: RouterGroup<HooklineRequestContext>) {
        group.post(use: create)
        group.get(use: list)
        group.get("{id}", use: show)
        group.delete("{id}", use: cancel)
    }

    @Sendable func create(request: Request, context: HooklineRequestContext) async throws -> JSONResponse {
        let account = try context.requireAccount()
        let (body, _) = try await request.jsonBody(context: context)
        let filter = try ReplayFilter(body)
        var dryRun = false
        if let value = body["dry_run"], !value.isNull {
            guard let flag = value.boolValue else { throw FieldError("dry_run", "must be true or false") }
            dryRun = flag
        }
        let replays = BulkReplays(store: store)
        if dryRun { return JSONResponse(try await replays.preview(filter, accountID: account.id).json) }
        return JSONResponse(status: .created, try await replays.start(filter, accountID: account.id).json)
    }

    @Sendable func list(request: Request, context: HooklineRequestContext) async throws -> JSONResponse {
        let account = try context.requireAccount()
        return JSONResponse(listing: try await store.replayJobs(accountID: account.id, limit: Self.listed).map(\.json))
    }

    @Sendable func show(request: Request, context: HooklineRequestContext) async throws -> JSONResponse {
        let (account, id) = try context.requireAccountAndID()
        return JSONResponse(try found(try await store.replayJob(id: id, accountID: account.id), "replay", id).json)
    }

    /// Stops a running job where it is: what it already replayed stays queued.
    @Sendable func cancel(request: Request, context: HooklineRequestContext) async throws -> JSONResponse {
        let (account, id) = try context.requireAccountAndID()
        return JSONResponse(try found(try await store.cancelReplayJob(id: id, accountID: account.id, now: .now), "replay", id).json)
    }
}
