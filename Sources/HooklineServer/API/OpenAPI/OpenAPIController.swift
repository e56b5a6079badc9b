import Hummingbird
import HooklineCore

/// Serves the API description, built once.
struct OpenAPIController {
    static let document = OpenAPIDocument.build().jsonText

    func addRoutes(to group: RouterGroup<HooklineRequestContext>) {
        group.get("openapi.json") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: Self.document)))
        }
    }
}
