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
        try await page(context: context, request: request, form: SourcesView.Entered(), errors: [:], address: nil)
    }

    /// Creates through the API's own input: the same checks and messages, the same address.
    @Sendable func create(request: Request, context: HooklineRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let form = try await FormFields.of(request, context: context)
        let entered = SourcesView.Entered(name: form["name"] ?? "", kind: form["kind"] ?? "", user: form["user"] ?? "", key: form["key"] ?? "", example: form["example"] ?? "")
        let rules = JSONSourceForm(form)
        let kind = SourceKind(rawValue: entered.kind)
        var rulesStep = false
        var errors: FormErrors = [:]
        do {
            var options = JSONObject()
            for option in ["user", "password", "key"] where kind?.optionNames.contains(option) == true {
                if let value = form[option], !value.isEmpty { options[option] = .string(value) }
            }
            if kind == .json {
                let fields = try rules.fields().get()
                rulesStep = true
                // The example alone first: its fields are what the rules are chosen from.
                guard JSONSourceForm.isRulesStep(form) else {
                    return try await page(context: context, request: request, form: entered, errors: [:], address: nil, rules: rules.view(fields: fields, errors: [:]))
                }
                options = try rules.options()
            }
            let object: JSONObject = ["name": .string(entered.name), "kind": entered.kind.isEmpty ? .null : .string(entered.kind), "options": .object(options)]
            let (source, secret) = try await SourceInput(store: store).create(object, accountID: account.id)
            return try await page(context: context, request: request, form: SourcesView.Entered(), errors: [:], address: (source.name, secret))
        } catch let error as FieldError {
            errors[rules.input(for: error)] = error.message
        }
        let shownRules = rulesStep ? (try? rules.fields().get()).map { rules.view(fields: $0, errors: errors) } : nil
        return try await page(context: context, request: request, form: entered, errors: errors, address: nil, rules: shownRules, status: .unprocessableContent)
    }

    @Sendable func rotate(request: Request, context: HooklineRequestContext) async throws -> Response {
        let (account, id) = try context.requireAccountAndID()
        let source = try found(try await store.source(id: id, accountID: account.id), "source", id)
        let secret = try await SourceInput(store: store).rotateSecret(of: source)
        return try await page(context: context, request: request, form: SourcesView.Entered(), errors: [:], address: (source.name, secret))
    }

    @Sendable func delete(request: Request, context: HooklineRequestContext) async throws -> Response {
        let (account, id) = try context.requireAccountAndID()
        guard try await store.deleteSource(id: id, accountID: account.id) else { throw StoreError.notFound("source \(id) not found") }
        return Pages.redirect(to: "/sources")
    }

    private func page(
        context: HooklineRequestContext, request: Request, form: SourcesView.Entered, errors: FormErrors, address: (name: String, secret: String)?,
        rules: JSONRulesView? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let account = try context.requireAccount()
        let sources = try await store.sources(accountID: account.id).map { source in
            SourcesView.Row(id: source.id, name: source.name, kind: source.kind.rawValue, received: source.received, refused: source.refused)
        }
        let shownAddress = address.map { SourcesView.Address(name: $0.name, url: SourceInput.address(secret: $0.secret, request: request).url) }
        return pages.render(
            .sources, title: "Sources", context: context, status: status,
            SourcesView(
                sources: sources, form: form, errors: errors, kinds: SourceKind.allCases.map { ValueOption(value: $0.rawValue, selected: form.kind == $0.rawValue) },
                hasAddress: shownAddress != nil, address: shownAddress, hasRules: rules != nil, rules: rules))
    }
}
