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
        let categories = TokenCategory.allCases.compactMap { category -> TokensView.Category? in
            let tokens = catalogue.tokens(in: category)
            guard !tokens.isEmpty else { return nil }
            return TokensView.Category(
                name: category.rawValue,
                tokens: tokens.map { token in
                    TokensView.Row(
                        name: token.name, description: token.description, example: token.example.stringValue ?? token.example.jsonText,
                        search: [token.name, category.rawValue, token.description].joined(separator: " ").lowercased())
                })
        }
        return pages.render(.tokens, title: "Tokens", context: context, TokensView(categories: categories))
    }
}
