/// A signed-in browser's secret: the cookie carries it, the store keeps only its digest, and the
/// anti-forgery token of its forms is derived from it (a page from another site cannot read it).
public enum SessionToken {
    public static let lifetime = 7 * 24 * 3600.0
    public static let cookieName = "hookline_session"

    public static func generate() -> String { APIKey.generate(prefix: "hks") }

    public static func digest(_ token: String) -> String { APIKey.digest(token) }

    /// The form token of a session: a digest that differs from the stored one.
    public static func formToken(for token: String) -> String { APIKey.digest("form:" + token) }

    public static func isFormToken(_ candidate: String, of token: String) -> Bool {
        let expected = Array(formToken(for: token).utf8)
        let given = Array(candidate.utf8)
        guard expected.count == given.count else { return false }
        return zip(expected, given).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
