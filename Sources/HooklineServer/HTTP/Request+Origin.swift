import Hummingbird

extension Request {
    /// Served through a TLS proxy that says so (`X-Forwarded-Proto: https`): addresses shown to
    /// people are https, and cookies are sent over HTTPS only.
    var isForwardedSecure: Bool {
        headers[HTTPFields.Element.Name("X-Forwarded-Proto")!]?.lowercased() == "https"
    }

    /// This site's address as the client reached it, for links shown in answers and pages.
    var publicOrigin: String? {
        head.authority.map { (isForwardedSecure ? "https://" : "http://") + $0 }
    }
}
