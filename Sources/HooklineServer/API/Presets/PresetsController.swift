import Hummingbird
import HooklineCore

/// The built-in presets: each a provider's payload, exact, with the settings it needs.
struct PresetsController {
    func addRoutes(to group: RouterGroup<HooklineRequestContext>) {
        group.get(use: list)
    }

    @Sendable func list(request: Request, context: HooklineRequestContext) async throws -> JSONResponse {
        _ = try context.requireAccount()
        return JSONResponse(listing: Preset.all.map(\.json))
    }
}
