import HooklineCore
import Hummingbird

/// The token catalogue by category, searchable on the page.
struct TokenPages {
    let catalogue: TokenCatalogue
    let pages: Pages

    func addRoutes(to group: RouterGroup<HooklineRequestContext>) {
        group.get("tokens", use: list)
    }

    @Sendable func list(request: Request, context: HooklineRequestContext) async throws -> Response {
        let categories = TokenCategory.allCases.compactMap { category -> [String: Any]? in
            let tokens = catalogue.tokens(in: category)
            guard !tokens.isEmpty else { return nil }
            return [
                "name": category.rawValue,
                "tokens": tokens.map { token -> [String: Any] in
                    let example = token.example.stringValue ?? token.example.jsonText
                    return [
                        "name": token.name, "description": token.description, "example": example,
                        "search": [token.name, category.rawValue, token.description].joined(separator: " ").lowercased(),
                    ]
                },
            ]
        }
        return pages.render("tokens", title: "Tokens", context: context, ["categories": categories])
    }
}
