import Hummingbird
import HooklineCore
import HooklineStore

/// Offline and DNI campaigns of the calling account, with their tracking numbers.
struct CampaignsController {
    let store: any Store

    func addRoutes(to group: RouterGroup<HooklineRequestContext>) {
        group.post(use: create)
        group.get(use: list)
        group.get("{id}", use: show)
        group.patch("{id}", use: update)
        group.delete("{id}", use: delete)
    }

    static let fieldNames: Set<String> = ["name", "kind", "tags", "location", "tracking_numbers"]

    @Sendable func create(request: Request, context: HooklineRequestContext) async throws -> JSONResponse {
        let account = try context.requireAccount()
        let (body, _) = try await request.jsonBody(context: context)
        let now = Timestamp.now
        var campaign = Campaign(
            id: Identifier.make("cmp", at: now), accountID: account.id, name: "", kind: .offline, tags: JSONObject(), locationID: nil,
            trackingNumbers: [], createdAt: now, updatedAt: now)
        try await read(body, into: &campaign, creating: true)
        try await store.insertCampaign(campaign)
        return JSONResponse(status: .created, campaign.json)
    }

    @Sendable func list(request: Request, context: HooklineRequestContext) async throws -> JSONResponse {
        let account = try context.requireAccount()
        return JSONResponse(listing: try await store.campaigns(accountID: account.id).map(\.json))
    }

    @Sendable func show(request: Request, context: HooklineRequestContext) async throws -> JSONResponse {
        JSONResponse(try await find(context).json)
    }

    @Sendable func update(request: Request, context: HooklineRequestContext) async throws -> JSONResponse {
        var campaign = try await find(context)
        let (body, _) = try await request.jsonBody(context: context)
        try await read(body, into: &campaign, creating: false)
        campaign.updatedAt = .now
        try await store.updateCampaign(campaign)
        return JSONResponse(campaign.json)
    }

    @Sendable func delete(request: Request, context: HooklineRequestContext) async throws -> Response {
        let (account, id) = try context.requireAccountAndID()
        guard try await store.deleteCampaign(id: id, accountID: account.id) else { throw StoreError.notFound("campaign \(id) not found") }
        return Response(status: .noContent)
    }

    private func find(_ context: HooklineRequestContext) async throws -> Campaign {
        let (account, id) = try context.requireAccountAndID()
        return try found(try await store.campaign(id: id, accountID: account.id), "campaign", id)
    }

    private func read(_ body: JSONValue, into campaign: inout Campaign, creating: Bool) async throws {
        let fields = try ObjectReader(body, fields: Self.fieldNames, subject: "a campaign")
        let object = fields.object
        campaign.name = try fields.required("name", creating ? nil : campaign.name) { (value) throws(FieldError) in try DisplayName.read(value) }
        if let value = object["kind"] {
            guard let kind = value.stringValue.flatMap(CampaignKind.init(rawValue:)) else { throw FieldError("kind", "must be offline or dni") }
            campaign.kind = kind
        } else if creating {
            throw FieldError("kind", "is required: offline or dni")
        }
        if let value = object["tags"] {
            guard let tags = value.objectValue else { throw FieldError("tags", "must be an object such as {\"Region\": \"south\"}") }
            for (key, tag) in tags where tag.objectValue != nil || tag.arrayValue != nil {
                throw FieldError("tags.\(key)", "must be a string, number or boolean")
            }
            campaign.tags = tags
        }
        if let value = object["location"] {
            if value.isNull {
                campaign.locationID = nil
            } else {
                guard let id = value.stringValue, try await store.location(id: id, accountID: campaign.accountID) != nil else {
                    throw FieldError("location", "no location '\(Echo.quoted(value.stringValue ?? value.jsonText))' in this account", kind: .unusable)
                }
                campaign.locationID = id
            }
        }
        if let value = object["tracking_numbers"] {
            guard let array = value.arrayValue else { throw FieldError("tracking_numbers", "must be an array of phone numbers") }
            var numbers: [String] = []
            for (index, element) in array.enumerated() {
                guard let text = element.stringValue, Campaign.normalizedNumber(text).count >= 3 else {
                    throw FieldError("tracking_numbers[\(index)]", "must be a phone number with at least 3 digits")
                }
                let digits = Campaign.normalizedNumber(text)
                guard !numbers.contains(digits) else { throw FieldError("tracking_numbers[\(index)]", "appears twice", kind: .unusable) }
                numbers.append(digits)
            }
            campaign.trackingNumbers = numbers
        }
    }
}
