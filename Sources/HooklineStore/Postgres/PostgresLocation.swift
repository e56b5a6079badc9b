import Foundation

/// Where a PostgreSQL database is, from a `postgres://user:password@host:port/database` URL, with
/// `?sslmode=disable|prefer|require` and `?schema=NAME` (tables in a schema of their own, created
/// by the migration, instead of `public`).
public struct PostgresLocation: Sendable, Hashable, CustomStringConvertible {
    public enum TLSMode: String, Sendable { case disable, prefer, require }

    public var host: String
    public var port: Int
    public var username: String
    public var password: String?
    public var database: String
    public var tls: TLSMode
    public var schema: String?

    public static func isPostgresURL(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    /// Throws a message naming what is wrong with the URL.
    public init(url text: String) throws {
        guard Self.isPostgresURL(text), let components = URLComponents(string: text) else {
            throw PostgresLocationError("'\(text.prefix(200))' is not a PostgreSQL URL; expected postgres://user:password@host:port/database")
        }
        guard let host = components.host, !host.isEmpty else { throw PostgresLocationError("the PostgreSQL URL names no host") }
        guard let user = components.user, !user.isEmpty else { throw PostgresLocationError("the PostgreSQL URL names no user (postgres://user@host/database)") }
        let database = String(components.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty, !database.contains("/") else {
            throw PostgresLocationError("the PostgreSQL URL names no database (postgres://user@host:port/database)")
        }
        if let port = components.port, !(1...65535).contains(port) { throw PostgresLocationError("the PostgreSQL URL's port \(port) is outside 1-65535") }
        var tls = TLSMode.disable
        var schema: String?
        for item in components.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                guard let value = item.value, let mode = TLSMode(rawValue: value) else {
                    throw PostgresLocationError("sslmode must be disable, prefer or require, not '\(item.value ?? "")'")
                }
                tls = mode
            case "schema":
                schema = try Self.checkedSchemaName(item.value ?? "")
            default:
                throw PostgresLocationError("the PostgreSQL URL's parameter '\(item.name)' is not known; only sslmode and schema are")
            }
        }
        self.host = host
        self.port = components.port ?? 5432
        self.username = user.removingPercentEncoding ?? user
        self.password = components.password.map { $0.removingPercentEncoding ?? $0 }
        self.database = database.removingPercentEncoding ?? database
        self.tls = tls
        self.schema = schema
    }

    /// A name used in SQL unquoted, so it is checked rather than escaped; at most 50 characters,
    /// so that the workers' channel `hookline_due_<schema>` is a PostgreSQL identifier (63 bytes).
    public static func checkedSchemaName(_ name: String) throws -> String {
        guard name.range(of: "^[a-z_][a-z0-9_]{0,49}$", options: .regularExpression) != nil else {
            throw PostgresLocationError("schema '\(name.prefix(80))' must be 1 to 50 lower-case letters, digits and _, starting with a letter or _")
        }
        return name
    }

    /// A sentence for when the database cannot be reached, naming it without credentials.
    public func unreachable(_ cause: String) -> String {
        "the database at \(host):\(port)/\(database) cannot be reached (\(cause))"
    }

    /// The URL with its password, for a process of Hookline's own to connect with.
    public var connectionURL: String {
        var components = URLComponents()
        components.scheme = "postgres"
        components.user = username
        components.password = password
        components.host = host
        components.port = port
        components.path = "/" + database
        var items: [URLQueryItem] = []
        if tls != .disable { items.append(URLQueryItem(name: "sslmode", value: tls.rawValue)) }
        if let schema { items.append(URLQueryItem(name: "schema", value: schema)) }
        components.queryItems = items.isEmpty ? nil : items
        return components.string ?? description
    }

    /// The URL without its password, for logs and messages.
    public var description: String {
        "postgres://\(username)\(password == nil ? "" : ":[redacted]")@\(host):\(port)/\(database)\(schema.map { "?schema=\($0)" } ?? "")"
    }
}

public struct PostgresLocationError: Error, CustomStringConvertible, Sendable {
    public var description: String
    init(_ description: String) { self.description = description }
}
