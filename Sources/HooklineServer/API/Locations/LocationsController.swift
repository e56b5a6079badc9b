import Hummingbird
import HooklineCore
import HooklineStore

/// Locations of the calling account, each holding its `location_info` tokens.
struct LocationsController {
    let store: any Store
    let validator: TokenValidator

    func addRoutes(to group: RouterGroup<HooklineRequestContext>) {
        group.post(use: create)
        group.get(use: list)
        group.get("{id}", use: show)
        group.patch("{id}", use: update)
        group.delete("{id}", use: delete)
    }

    @Sendable func create(request: Request, context: HooklineRequestContext) async throws -> JSONResponse {
        let account = try context.requireAccount()
        let (body, _) = try await request.jsonBody(context: context)
        let now = Timestamp.now
        let location = Location(id: Identifier.make("loc", at: now), accountID: account.id, values: try read(body, base: JSONObject()), createdAt: now, updatedAt: now)
        try await store.insertLocation(location)
        return JSONResponse(status: .created, location.json)
    }

    @Sendable func list(request: Request, context: HooklineRequestContext) async throws -> JSONResponse {
        let account = try context.requireAccount()
        return JSONResponse(listing: try await store.locations(accountID: account.id).map(\.json))
    }

    @Sendable func show(request: Request, context: HooklineRequestContext) async throws -> JSONResponse {
        JSONResponse(try await find(context).json)
    }

    /// Changes the values given; a value of null removes it.
    @Sendable func update(request: Request, context: HooklineRequestContext) async throws -> JSONResponse {
        var location = try await find(context)
        let (body, _) = try await request.jsonBody(context: context)
        location.values = try read(body, base: location.values)
        location.updatedAt = .now
        try await store.updateLocation(location)
        return JSONResponse(location.json)
    }

    @Sendable func delete(request: Request, context: HooklineRequestContext) async throws -> Response {
        let (account, id) = try context.requireAccountAndID()
        guard try await store.deleteLocation(id: id, accountID: account.id) else { throw StoreError.notFound("location \(id) not found") }
        return Response(status: .noContent)
    }

    private func find(_ context: HooklineRequestContext) async throws -> Location {
        let (account, id) = try context.requireAccountAndID()
        return try found(try await store.location(id: id, accountID: account.id), "location", id)
    }

    private func read(_ body: JSONValue, base: JSONObject) throws(FieldError) -> JSONObject {
        guard let object = body.objectValue else { throw FieldError("body", "must be a JSON object of location_info tokens") }
        var values = base
        for (key, value) in object {
            guard let token = validator.catalogue[key], token.category == .locationInfo else {
                let names = validator.catalogue.tokens(in: .locationInfo).map(\.name).joined(separator: ", ")
                throw FieldError(key, "a location holds the location_info tokens: \(names)")
            }
            values[key] = value.isNull ? nil : try validator.normalize(value, for: token)
        }
        guard let name = values["location_name"]?.stringValue, !name.isEmpty else { throw FieldError("location_name", "is required") }
        return values
    }
}
