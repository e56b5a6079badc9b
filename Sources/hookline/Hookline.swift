import ArgumentParser
import Foundation
import HooklineCore
import HooklineProcesses
import HooklineServer
import HooklineStore
import Logging

@main
struct Hookline: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hookline",
        abstract: "A self-hosted webhook engine for call tracking.",
        subcommands: [Serve.self, Demo.self, Migrate.self, AccountCommand.self, UserCommand.self, Bench.self, BenchReceiver.self, BenchLoad.self, BenchPostgresCPU.self, BenchUpkeep.self, BenchDropSchema.self],
        defaultSubcommand: Serve.self)

    static func main() async {
        ParentLifeline.holdIfAsked()
        await main(nil)
    }
}

/// Options shared by commands that open the database: a flag wins over the environment, which
/// wins over the default.
struct DatabaseOptions: ParsableArguments {
    @Option(
        name: .customLong("db"),
        help: "SQLite file, or postgres://user:password@host:port/database for several processes (env HOOKLINE_DB; default ./hookline.sqlite).")
    var databasePath: String?

    @Option(name: .customLong("db-pool"), help: "PostgreSQL connections this process may open (env HOOKLINE_DB_POOL; default 20).")
    var poolSize: Int?

    var resolvedPath: String {
        databasePath ?? ProcessInfo.processInfo.environment["HOOKLINE_DB"] ?? "hookline.sqlite"
    }

    /// The database as shown to people: a PostgreSQL URL without its password.
    var displayName: String {
        (try? PostgresLocation(url: resolvedPath).description) ?? resolvedPath
    }

    func openStore() throws -> any Store {
        guard PostgresLocation.isPostgresURL(resolvedPath) else { return try SQLiteStore(path: resolvedPath) }
        let pool = try poolSize ?? Serve.integer(ProcessInfo.processInfo.environment, "HOOKLINE_DB_POOL") ?? 20
        guard (1...1000).contains(pool) else { throw ValidationError("--db-pool must be from 1 to 1000") }
        do {
            return try PostgresStore(location: PostgresLocation(url: resolvedPath), maximumConnections: pool)
        } catch let error as PostgresLocationError {
            throw ValidationError("--db: \(error)")
        }
    }
}

/// What a process of a deployment does.
enum Role: String, ExpressibleByArgument, CaseIterable {
    /// The API and the delivery workers.
    case all
    /// The API only; another process delivers.
    case api
    /// Deliveries only; the port serves /healthz, /readyz and /metrics.
    case worker
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the HTTP API and the delivery workers.")

    @OptionGroup var database: DatabaseOptions

    @Option(help: "Address to listen on (env HOOKLINE_HOST; default 127.0.0.1).")
    var host: String?

    @Option(help: "Port to listen on (env HOOKLINE_PORT; default 8080).")
    var port: Int?

    @Option(help: "all (API and deliveries), api (API only) or worker (deliveries only) (env HOOKLINE_ROLE; default all).")
    var role: Role?

    @Flag(help: "Serve the API only, as --role api.")
    var noWorkers = false

    @Flag(help: "Do not create or upgrade the schema at start; `hookline migrate` does (env HOOKLINE_NO_MIGRATE=1).")
    var noMigrate = false

    @Option(help: "Deliveries in flight at once (env HOOKLINE_CONCURRENCY; default 1024).")
    var concurrency: Int?

    @Option(help: "Seconds a worker holds a delivery before another may take it; keep it above the longest webhook timeout (env HOOKLINE_LEASE_SECONDS; default 180).")
    var leaseSeconds: Int?

    @Option(help: "Seconds without a heartbeat after which a worker's leases go to the others (env HOOKLINE_WORKER_TIMEOUT; default 15).")
    var workerTimeout: Int?

    @Option(help: "Days finished (delivered or dead) deliveries, their attempts and events are kept; 0 keeps them for ever (env HOOKLINE_RETENTION_DAYS; default 30).")
    var retentionDays: Int?

    @Option(help: "Seconds a new connection may take to send its first request's head (env HOOKLINE_HEAD_TIMEOUT; default 10).")
    var headTimeout: Int?

    @Option(help: "Seconds a request may take to send its body after its head (env HOOKLINE_BODY_TIMEOUT; default 30).")
    var bodyTimeout: Int?

    @Option(help: "Seconds a kept-alive connection may wait for its next request (env HOOKLINE_IDLE_TIMEOUT; default 75).")
    var idleTimeout: Int?

    @Option(help: "trace, debug, info, notice, warning, error or critical (env HOOKLINE_LOG_LEVEL; default info).")
    var logLevel: String?

    @Option(help: "The address people reach this server's UI at, for the links in alerts (env HOOKLINE_PUBLIC_URL; default http://HOST:PORT).")
    var publicURL: String?

    @Option(help: "An OpenTelemetry collector's OTLP/HTTP address (http://collector:4318); traces go to its /v1/traces (env HOOKLINE_OTLP_ENDPOINT; default off).")
    var otlpEndpoint: String?

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        var configuration = AppConfiguration(databasePath: database.resolvedPath)
        configuration.host = host ?? environment["HOOKLINE_HOST"] ?? configuration.host
        configuration.port = try port ?? Self.integer(environment, "HOOKLINE_PORT") ?? configuration.port
        guard (0...65535).contains(configuration.port) else { throw ValidationError("--port must be from 0 to 65535") }
        let links = publicURL ?? environment["HOOKLINE_PUBLIC_URL"].flatMap { $0.isEmpty ? nil : $0 } ?? "http://\(configuration.host):\(configuration.port)"
        guard links.hasPrefix("http://") || links.hasPrefix("https://"), !links.contains(where: { $0.isWhitespace || $0 == "?" || $0 == "#" }) else {
            throw ValidationError("--public-url must be an http:// or https:// address without spaces, query or fragment, not '\(links)'")
        }
        configuration.delivery.alertLinks = AlertLinks(base: links)
        if let endpoint = otlpEndpoint ?? environment["HOOKLINE_OTLP_ENDPOINT"].flatMap({ $0.isEmpty ? nil : $0 }) {
            guard endpoint.hasPrefix("http://") || endpoint.hasPrefix("https://"), !endpoint.contains(where: \.isWhitespace) else {
                throw ValidationError("--otlp-endpoint must be an http:// or https:// address, not '\(endpoint)'")
            }
            configuration.otlpEndpoint = endpoint
        }
        configuration.adminKey = environment["HOOKLINE_ADMIN_KEY"].flatMap { $0.isEmpty ? nil : $0 }
        var given = self.role
        if given == nil, let text = environment["HOOKLINE_ROLE"], !text.isEmpty {
            guard let parsed = Role(rawValue: text) else { throw ValidationError("HOOKLINE_ROLE must be all, api or worker, not '\(text)'") }
            given = parsed
        }
        if let given, noWorkers, given != .api { throw ValidationError("--no-workers is --role api; it cannot go with --role \(given.rawValue)") }
        let role = given ?? (noWorkers ? .api : .all)
        configuration.runsWorkers = role != .api
        configuration.servesAPI = role != .worker
        configuration.migrates = !noMigrate && environment["HOOKLINE_NO_MIGRATE"] != "1"
        configuration.delivery.allowPrivateDestinations = environment["HOOKLINE_ALLOW_PRIVATE_DESTINATIONS"] == "1"
        if let concurrency = try concurrency ?? Self.integer(environment, "HOOKLINE_CONCURRENCY") {
            guard concurrency >= 1 else { throw ValidationError("--concurrency must be at least 1") }
            configuration.delivery.concurrency = concurrency
        }
        if let lease = try leaseSeconds ?? Self.integer(environment, "HOOKLINE_LEASE_SECONDS") {
            // A lease shorter than a request may take lets a second worker send it again meanwhile.
            let longest = Int(WebhookTimeouts.longest.total)
            guard lease > longest else {
                throw ValidationError("--lease-seconds must be more than \(longest), the longest a webhook's request may take (its timeouts.total)")
            }
            configuration.delivery.leaseDuration = .seconds(lease)
        }
        if let seconds = try workerTimeout ?? Self.integer(environment, "HOOKLINE_WORKER_TIMEOUT") {
            guard (1...3600).contains(seconds) else { throw ValidationError("--worker-timeout must be from 1 to 3600 seconds") }
            configuration.delivery.liveness = WorkerLiveness(silenceLimit: .seconds(seconds))
        }
        if let days = try retentionDays ?? Self.integer(environment, "HOOKLINE_RETENTION_DAYS") {
            guard (0...36_500).contains(days) else { throw ValidationError("--retention-days must be from 0 (keep for ever) to 36500") }
            configuration.retention.days = days == 0 ? nil : days
        }
        for (flag, given, variable, path) in [
            ("--head-timeout", headTimeout, "HOOKLINE_HEAD_TIMEOUT", \ConnectionTimeouts.head),
            ("--body-timeout", bodyTimeout, "HOOKLINE_BODY_TIMEOUT", \ConnectionTimeouts.body),
            ("--idle-timeout", idleTimeout, "HOOKLINE_IDLE_TIMEOUT", \ConnectionTimeouts.idle),
        ] {
            guard let seconds = try given ?? Self.integer(environment, variable) else { continue }
            guard (1...3600).contains(seconds) else { throw ValidationError("\(flag) must be from 1 to 3600 seconds") }
            configuration.connectionTimeouts[keyPath: path] = .seconds(seconds)
        }
        if let level = logLevel ?? environment["HOOKLINE_LOG_LEVEL"] {
            guard let parsed = Logger.Level(rawValue: level) else { throw ValidationError("--log-level: unknown level '\(level)'") }
            configuration.logLevel = parsed
        }
        let store = try database.openStore()
        // Only the start is worded as such: a store error while running is the server's to answer.
        let app = try await Self.starting(on: database) { try await buildApplication(configuration, store: store) }
        try await app.runService()
    }

    static func starting<T>(on database: DatabaseOptions, _ start: () async throws -> T) async throws -> T {
        do {
            return try await start()
        } catch let error as StoreError {
            throw CommandFailure("cannot start on \(database.displayName): \(error)")
        }
    }

    static func integer(_ environment: [String: String], _ name: String) throws -> Int? {
        guard let text = environment[name], !text.isEmpty else { return nil }
        guard let value = Int(text) else { throw ValidationError("\(name) must be a whole number, not '\(text)'") }
        return value
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Create or upgrade the database schema, then exit.")

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        do {
            try await database.openStore().migrate()
        } catch let error as StoreError {
            throw CommandFailure("cannot migrate \(database.displayName): \(error)")
        }
        print("Database \(database.displayName) is up to date.")
    }
}
