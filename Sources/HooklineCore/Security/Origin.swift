import Foundation

/// Where a request goes, as browsers and GitHub's webhook settings judge it: scheme, host and
/// port (the scheme's default when none is written). Two URLs of one origin reach the same server.
public struct Origin: Sendable, Hashable, CustomStringConvertible {
    public let scheme: String
    public let host: String
    public let port: Int

    /// nil for text that is not an absolute http(s) URL with a host.
    public init?(url: String) {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
            let host = components.host?.lowercased(), !host.isEmpty
        else { return nil }
        let defaultPort = ["http": 80, "https": 443][scheme]
        guard let port = components.port ?? defaultPort else { return nil }
        self.scheme = scheme
        self.host = host
        self.port = port
    }

    public var description: String { "\(scheme)://\(host):\(port)" }
}
