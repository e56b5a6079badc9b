/// A signed-in browser's secret: the cookie carries it, the store keeps only its digest, and the
/// anti-forgery token of its forms is derived from it (a page from another site cannot read it).
public enum SessionToken {
    public static let lifetime = 7 * 24 * 3600.0
    /// Behind TLS the cookie takes the `__Host-` prefix: the browser then keeps it only when it
    /// was set secure, for path `/` and without a domain, so no sibling subdomain can plant one.
    public static func cookieName(secure: Bool) -> String { secure ? "__Host-hookline_session" : "hookline_session" }

    public static func generate() -> String { APIKey.generate(prefix: "hks") }

    public static func digest(_ token: String) -> String { APIKey.digest(token) }

    /// The form token of a session: a digest that differs from the stored one.
    public static func formToken(for token: String) -> String { APIKey.digest("form:" + token) }

    public static func isFormToken(_ candidate: String, of token: String) -> Bool {
        ConstantTime.equals(candidate, formToken(for: token))
    }
}
