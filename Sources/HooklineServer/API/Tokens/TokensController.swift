import Hummingbird
import HooklineCore

/// The token catalogue, grouped by category.
struct TokensController {
    let catalogue: TokenCatalogue

    func addRoutes(to group: RouterGroup<HooklineRequestContext>) {
        group.get(use: list)
    }

    @Sendable func list(request: Request, context: HooklineRequestContext) async throws -> JSONResponse {
        _ = try context.requireAccount()
        // Preset-computed tokens are not in the catalogue sources and templates use.
        let categories = TokenCategory.allCases.filter { !catalogue.tokens(in: $0).isEmpty }.map { category -> JSONValue in
            ["name": .string(category.rawValue), "tokens": .array(catalogue.tokens(in: category).map { .object($0.json) })]
        }
        return JSONResponse(["categories": .array(categories)])
    }
}
