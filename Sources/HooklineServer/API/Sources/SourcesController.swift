import Hummingbird
import HooklineCore
import HooklineStore

/// Sources: the addresses providers send their own webhooks to. The address's secret is shown
/// when the source is created or its secret rotated, and never again: the store keeps its digest.
struct SourcesController {
    let store: any Store

    func addRoutes(to group: RouterGroup<HooklineRequestContext>) {
        group.post(use: create)
        group.get(use: list)
        group.get("{id}", use: show)
        group.patch("{id}", use: update)
        group.delete("{id}", use: delete)
        group.post("{id}/rotate-secret", use: rotateSecret)
    }

    static let fieldNames: Set<String> = ["name", "kind", "options"]

    @Sendable func create(request: Request, context: HooklineRequestContext) async throws -> JSONResponse {
        let account = try context.requireAccount()
        let (source, secret) = try await SourceInput(store: store).create(try await Self.object(request, context: context), accountID: account.id)
        return JSONResponse(status: .created, Self.json(source, secret: secret, request: request))
    }

    @Sendable func list(request: Request, context: HooklineRequestContext) async throws -> JSONResponse {
        JSONResponse(listing: try await store.sources(accountID: try context.requireAccount().id).map { $0.json })
    }

    @Sendable func show(request: Request, context: HooklineRequestContext) async throws -> JSONResponse {
        JSONResponse(try await find(context).json)
    }

    @Sendable func update(request: Request, context: HooklineRequestContext) async throws -> JSONResponse {
        var source = try await find(context)
        let object = try await Self.object(request, context: context)
        if object["kind"] != nil { throw FieldError("kind", "cannot change: create a new source", kind: .unusable) }
        if let name = object["name"] { source.name = try DisplayName.read(name) }
        if object["options"] != nil { source.options = try InboundSource.readOptions(object["options"], kind: source.kind, base: source.options) }
        source.updatedAt = .now
        try await store.updateSource(source)
        return JSONResponse(source.json)
    }

    @Sendable func delete(request: Request, context: HooklineRequestContext) async throws -> Response {
        let (account, id) = try context.requireAccountAndID()
        guard try await store.deleteSource(id: id, accountID: account.id) else { throw StoreError.notFound("source \(id) not found") }
        return Response(status: .noContent)
    }

    /// A new address; the previous one answers 404 at once.
    @Sendable func rotateSecret(request: Request, context: HooklineRequestContext) async throws -> JSONResponse {
        let source = try await find(context)
        return JSONResponse(Self.json(source, secret: try await SourceInput(store: store).rotateSecret(of: source), request: request))
    }

    private func find(_ context: HooklineRequestContext) async throws -> InboundSource {
        let (account, id) = try context.requireAccountAndID()
        return try found(try await store.source(id: id, accountID: account.id), "source", id)
    }

    private static func object(_ request: Request, context: HooklineRequestContext) async throws -> JSONObject {
        let (body, _) = try await request.jsonBody(context: context)
        return try ObjectReader(body, fields: fieldNames, subject: "a source").object
    }

    /// The source with its address, whose secret is shown only in this answer.
    static func json(_ source: InboundSource, secret: String, request: Request) -> JSONObject {
        var json = source.json
        let address = SourceInput.address(secret: secret, request: request)
        json["ingest_path"] = .string(address.path)
        json["ingest_url"] = .string(address.url)
        return json
    }
}
