import Hummingbird

/// The UI's one stylesheet and one script (`Static/`, compiled into the binary), served by
/// Hookline itself: no CDN, no build step.
enum Assets {
    static func addRoutes(to group: RouterGroup<HooklineRequestContext>) {
        let css = ByteBuffer(bytes: PackageResources.hookline_css)
        let javaScript = ByteBuffer(bytes: PackageResources.hookline_js)
        group.get("hookline.css") { _, _ in asset(css, type: "text/css; charset=utf-8") }
        group.get("hookline.js") { _, _ in asset(javaScript, type: "text/javascript; charset=utf-8") }
    }

    private static func asset(_ body: ByteBuffer, type: String) -> Response {
        Response(
            status: .ok, headers: [.contentType: type, .cacheControl: "public, max-age=300", .xContentTypeOptions: "nosniff"],
            body: .init(byteBuffer: body))
    }
}
