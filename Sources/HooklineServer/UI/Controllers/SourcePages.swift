import HooklineCore
import HooklineStore
import Hummingbird

/// Sources as a page: each with its kind and counts, a form to add one (its address shown once),
/// rotate its address, delete it.
struct SourcePages {
    let store: any Store
    let pages: Pages

    func addRoutes(to group: RouterGroup<HooklineRequestContext>) {
        group.get("sources", use: list)
        group.post("sources", use: create)
        group.post("sources/{id}/rotate-secret", use: rotate)
        group.post("sources/{id}/delete", use: delete)
    }

    @Sendable func list(request: Request, context: HooklineRequestContext) async throws -> Response {
        try await page(context: context, request: request, form: [:], errors: [:], address: nil)
    }

    @Sendable func create(request: Request, context: HooklineRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let form = try await FormFields.of(request, context: context)
        let entered = ["name": form["name"] ?? "", "kind": form["kind"] ?? "", "user": form["user"] ?? "", "key": form["key"] ?? "", "example": form["example"] ?? ""]
        var errors: [String: String] = [:]
        let rules = JSONSourceForm(form)
        var rulesStep = false
        do {
            let name = try DisplayName.read(.string(entered["name"]!))
            guard let kind = SourceKind(rawValue: entered["kind"]!) else { throw FieldError("kind", "choose what sends to this source") }
            var given = JSONObject()
            for option in ["user", "password", "key"] where kind.optionNames.contains(option) {
                if let value = form[option], !value.isEmpty { given[option] = .string(value) }
            }
            if kind == .json {
                let fields = try rules.fields().get()
                rulesStep = true
                // The example alone first: its fields are what the rules are chosen from.
                guard JSONSourceForm.isRulesStep(form) else {
                    return try await page(context: context, request: request, form: entered, errors: [:], address: nil, rules: rules.view(fields: fields, errors: [:]))
                }
                given = try rules.options()
            }
            let now = Timestamp.now
            let source = InboundSource(
                id: Identifier.make("src", at: now), accountID: account.id, name: name, kind: kind, options: try InboundSource.readOptions(.object(given), kind: kind),
                createdAt: now, updatedAt: now)
            let secret = APIKey.generate(prefix: "in")
            try await store.insertSource(source, secretDigest: APIKey.digest(secret))
            return try await page(context: context, request: request, form: [:], errors: [:], address: (source.name, "/in/\(secret)"))
        } catch let error as FieldError {
            errors[rules.input(for: error)] = error.message
        }
        let shownRules = rulesStep ? (try? rules.fields().get()).map { rules.view(fields: $0, errors: errors) } : nil
        return try await page(context: context, request: request, form: entered, errors: errors, address: nil, rules: shownRules, status: .unprocessableContent)
    }

    @Sendable func rotate(request: Request, context: HooklineRequestContext) async throws -> Response {
        let (account, id) = try context.requireAccountAndID()
        let source = try found(try await store.source(id: id, accountID: account.id), "source", id)
        let secret = APIKey.generate(prefix: "in")
        _ = try await store.rotateSourceSecret(id: id, accountID: account.id, secretDigest: APIKey.digest(secret), now: .now)
        return try await page(context: context, request: request, form: [:], errors: [:], address: (source.name, "/in/\(secret)"))
    }

    @Sendable func delete(request: Request, context: HooklineRequestContext) async throws -> Response {
        let (account, id) = try context.requireAccountAndID()
        guard try await store.deleteSource(id: id, accountID: account.id) else { throw StoreError.notFound("source \(id) not found") }
        return Pages.redirect(to: "/sources")
    }

    private func page(
        context: HooklineRequestContext, request: Request, form: [String: String], errors: [String: String], address: (name: String, path: String)?,
        rules: [String: Any]? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let account = try context.requireAccount()
        let sources = try await store.sources(accountID: account.id).map { source -> [String: Any] in
            ["id": source.id, "name": source.name, "kind": source.kind.rawValue, "received": source.received, "refused": source.refused]
        }
        let host = request.publicOrigin ?? ""
        return pages.render(
            "sources", title: "Sources", context: context, status: status,
            [
                "sources": sources, "form": form, "errors": errors,
                "kinds": SourceKind.allCases.map { ["value": $0.rawValue, "selected": form["kind"] == $0.rawValue] },
                "address": address.map { ["name": $0.name, "url": host + $0.path] } ?? [:],
                "hasAddress": address != nil, "rules": rules ?? [:], "hasRules": rules != nil,
            ])
    }
}
