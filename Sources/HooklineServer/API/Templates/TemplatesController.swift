import Hummingbird
import HooklineCore
import HooklineStore

/// Templates saved as objects. A template is written as a body, or built from an example document
/// and a mapping of its fields to tokens.
struct TemplatesController {
    let store: any Store

    func addRoutes(to group: RouterGroup<HooklineRequestContext>) {
        group.post(use: create)
        group.get(use: list)
        group.post("extract", use: extract)
        group.get("{id}", use: show)
        group.patch("{id}", use: update)
        group.delete("{id}", use: delete)
    }

    static let fieldNames: Set<String> = ["name", "group", "format", "body", "example", "mapping"]

    /// `{format, example}` → the example's fields with their sample values.
    @Sendable func extract(request: Request, context: HooklineRequestContext) async throws -> JSONResponse {
        _ = try context.requireAccount()
        let (body, _) = try await request.jsonBody(context: context)
        let object = try ObjectReader(body, fields: ["format", "example"], subject: "an extraction").object
        let format = try TemplateFormat(json: object["format"], field: "format")
        guard let example = object["example"]?.stringValue else { throw FieldError("example", "is required: the example document as a string") }
        let fields: [TemplateExtraction.Field]
        do {
            fields = try TemplateExtraction.fields(of: example, format: format)
        } catch {
            throw FieldError("example", error.description, kind: .unusable)
        }
        return JSONResponse(["fields": .array(fields.map { ["path": .string($0.path), "sample": $0.sample] })])
    }

    @Sendable func create(request: Request, context: HooklineRequestContext) async throws -> JSONResponse {
        let account = try context.requireAccount()
        let (body, _) = try await request.jsonBody(context: context)
        let now = Timestamp.now
        let (name, group, template) = try Self.read(body, base: nil)
        let stored = StoredTemplate(id: Identifier.make("tpl", at: now), accountID: account.id, name: name, group: group, template: template, createdAt: now, updatedAt: now)
        try await store.insertTemplate(stored)
        return JSONResponse(status: .created, stored.json)
    }

    @Sendable func list(request: Request, context: HooklineRequestContext) async throws -> JSONResponse {
        let account = try context.requireAccount()
        let group = request.uri.queryParameters["group"].map(String.init)
        return JSONResponse(listing: try await store.templates(accountID: account.id, group: group).map(\.json))
    }

    @Sendable func show(request: Request, context: HooklineRequestContext) async throws -> JSONResponse {
        JSONResponse(try await find(context).json)
    }

    /// A change reaches every webhook that names the template.
    @Sendable func update(request: Request, context: HooklineRequestContext) async throws -> JSONResponse {
        var stored = try await find(context)
        let (body, _) = try await request.jsonBody(context: context)
        (stored.name, stored.group, stored.template) = try Self.read(body, base: stored)
        stored.updatedAt = .now
        try await store.updateTemplate(stored)
        return JSONResponse(stored.json)
    }

    @Sendable func delete(request: Request, context: HooklineRequestContext) async throws -> Response {
        let (account, id) = try context.requireAccountAndID()
        guard try await store.deleteTemplate(id: id, accountID: account.id) else { throw StoreError.notFound("template \(id) not found") }
        return Response(status: .noContent)
    }

    private func find(_ context: HooklineRequestContext) async throws -> StoredTemplate {
        let (account, id) = try context.requireAccountAndID()
        return try found(try await store.template(id: id, accountID: account.id), "template", id)
    }

    /// Name, group and template from a body: `body` written by hand, or `example` with `mapping`.
    static func read(_ body: JSONValue, base: StoredTemplate?) throws(FieldError) -> (String, String?, Template) {
        let fields = try ObjectReader(body, fields: fieldNames, subject: "a template")
        let object = fields.object
        let name = try fields.required("name", base?.name) { (value) throws(FieldError) in try DisplayName.read(value) }
        var group = base?.group
        if let value = object["group"] {
            guard value.isNull || !(value.stringValue ?? "").isEmpty else { throw FieldError("group", "must be a non-empty string or null") }
            group = value.stringValue
        }
        if object["body"] != nil, object["example"] != nil { throw FieldError("example", "give either body or example with mapping, not both", kind: .unusable) }
        let format = try object["format"].map { (value) throws(FieldError) in try TemplateFormat(json: value, field: "format") } ?? base?.template.format
        guard let format else { throw FieldError("format", "is required") }
        let template: Template
        if let example = object["example"] {
            guard let text = example.stringValue else { throw FieldError("example", "must be the example document as a string") }
            guard let mapping = object["mapping"]?.objectValue else {
                throw FieldError("mapping", "is required with example: an object of field paths to token names", kind: .unusable)
            }
            var pairs: [(path: String, token: String)] = []
            for (path, token) in mapping {
                guard let token = token.stringValue else { throw FieldError("mapping.\(path)", "must name a token") }
                pairs.append((path, token))
            }
            template = try TemplateExtraction.template(fromExample: text, format: format, mapping: pairs)
        } else if object["mapping"] != nil {
            throw FieldError("mapping", "goes with example", kind: .unusable)
        } else {
            let bodyText = object["body"] ?? base.map { .string($0.template.body) }
            guard let bodyText else { throw FieldError("body", "is required (or give example and mapping)", kind: .unusable) }
            template = try WebhookSettings.readTemplate(["format": .string(format.rawValue), "body": bodyText], field: "")
        }
        return (name, group, template)
    }
}
