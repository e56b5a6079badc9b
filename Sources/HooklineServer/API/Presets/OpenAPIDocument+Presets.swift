import HooklineCore
import HooklineStore

/// The built-in presets, in the API document.
extension OpenAPIDocument {
    /// Its routes, in the order the document lists them.
    static let presetOperations: [Operation] = [
        Operation(method: "GET", path: "/v1/presets", summary: "The built-in presets: Roistat call, Roistat CRM lead and message, Envybox",
                  security: .account, responses: [(200, "Presets", "PresetList")]),
    ]
}
