import Foundation
import HooklineStore
import Logging
import NIOPosix
import PostgresNIO
import Synchronization

/// Where tests keep their files and their PostgreSQL schemas and databases. Names carry the test
/// process's id, so a run removes what earlier runs left behind (their processes are gone: a run
/// leaves about 100 MB of SQLite files, a hundred schemas and a few databases) and never what a run
/// going on beside it still uses.
public enum TestScratch {
    /// This process's folder in the temporary directory, made on first use, after the folders of
    /// processes that are gone are removed.
    public static let directory: URL = {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("hookline-tests")
        for name in (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? [] where Int32(name).map(isGone) ?? true {
            try? FileManager.default.removeItem(at: root.appendingPathComponent(name))
        }
        let mine = root.appendingPathComponent(String(getpid()))
        try? FileManager.default.createDirectory(at: mine, withIntermediateDirectories: true)
        return mine
    }()

    /// A fresh folder for one test's files.
    public static func folder(_ name: String) throws -> URL {
        let folder = directory.appendingPathComponent("\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// A fresh file path (the file is not made).
    public static func file(_ name: String) -> String {
        directory.appendingPathComponent("\(name)-\(UUID().uuidString)").path
    }

    /// The test cluster `scripts/test` starts (through `scripts/with-postgres`).
    public static var postgresURL: String {
        get throws(SetupError) {
            guard let url = ProcessInfo.processInfo.environment["HOOKLINE_TEST_POSTGRES"] else {
                throw SetupError("HOOKLINE_TEST_POSTGRES is not set: run the suite with scripts/test, which starts a PostgreSQL cluster for it")
            }
            return url
        }
    }

    /// A location on the test cluster with a fresh schema of its own, after what test processes
    /// that are gone left on the cluster was dropped (once per process and cluster).
    public static func postgresLocation() async throws -> PostgresLocation {
        let cluster = try PostgresLocation(url: try postgresURL)
        await sweepOnce(cluster)
        var location = cluster
        location.schema = freshName()
        return location
    }

    /// The URL of a fresh database on the test cluster, for tests of whole processes that own
    /// theirs (migrations, several servers on one database).
    public static func postgresDatabase() async throws -> String {
        let cluster = try PostgresLocation(url: try postgresURL)
        await sweepOnce(cluster)
        var location = cluster
        location.database = freshName()
        // The name is made here of letters, digits and _ only.
        try await runOnCluster(["CREATE DATABASE \(location.database)"])
        return location.connectionURL
    }

    /// Runs statements on the test cluster's own database over a connection of its own, without a
    /// store's deadline: making and dropping databases on a busy machine can take longer than a
    /// store gives a request.
    public static func runOnCluster(_ statements: [String]) async throws {
        try await onCluster(try PostgresLocation(url: try postgresURL)) { connection, logger in
            for statement in statements { _ = try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger) }
        }
    }

    /// The rows one statement answers on the test cluster's own database.
    public static func rowsOnCluster(_ statement: String) async throws -> [PostgresRow] {
        var rows: [PostgresRow] = []
        try await onCluster(try PostgresLocation(url: try postgresURL)) { connection, logger in
            rows = try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger).collect()
        }
        return rows
    }

    /// `t<pid>_<24 hex>`: a schema's or a database's name that says whose it is.
    static func freshName() -> String {
        "t\(getpid())_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(24)
    }

    private static let sweeps = Mutex<[String: Task<Void, Never>]>([:])

    private static func sweepOnce(_ cluster: PostgresLocation) async {
        let key = "\(cluster.host):\(cluster.port)/\(cluster.database)"
        let sweep = sweeps.withLock { sweeps in
            if let running = sweeps[key] { return running }
            let started = Task { await dropWhatGoneProcessesLeft(cluster) }
            sweeps[key] = started
            return started
        }
        await sweep.value
    }

    /// Drops the schemas and databases named `t<pid>_…` whose process is gone, and those named as
    /// runs before names carried one did (`t_<32 hex>` schemas, `h_<32 hex>` databases).
    public static func dropWhatGoneProcessesLeft(_ cluster: PostgresLocation) async {
        // Leftovers stay until a later run: never a reason to fail this one.
        try? await onCluster(cluster) { connection, logger in
            let schemas = try await connection.query("SELECT nspname FROM pg_namespace WHERE nspname LIKE 't%\\_%'", logger: logger).collect()
            let databases = try await connection.query("SELECT datname FROM pg_database", logger: logger).collect()
            // Both checked by `processID(ofScratchName:)`: lower-case letters, digits and _ only.
            for name in leftovers(schemas) {
                _ = try? await connection.query(PostgresQuery(unsafeSQL: "DROP SCHEMA IF EXISTS \(name) CASCADE"), logger: logger)
            }
            for name in leftovers(databases) {
                _ = try? await connection.query(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)"), logger: logger)
            }
        }
    }

    private static func leftovers(_ rows: [PostgresRow]) -> [String] {
        rows.compactMap { try? $0.decode(String.self) }.filter { name in
            processID(ofScratchName: name).map { $0 == 0 || isGone($0) } ?? false
        }
    }

    private static func onCluster(_ cluster: PostgresLocation, _ body: (PostgresConnection, Logger) async throws -> Void) async throws {
        let logger = Logger(label: "test-scratch")
        let configuration = PostgresConnection.Configuration(
            host: cluster.host, port: cluster.port, username: cluster.username, password: cluster.password, database: cluster.database,
            tls: .disable)
        let connection = try await PostgresConnection.connect(
            on: MultiThreadedEventLoopGroup.singleton.next(), configuration: configuration, id: 1, logger: logger)
        do {
            try await body(connection, logger)
        } catch {
            try? await connection.close()
            throw error
        }
        try? await connection.close()
    }

    /// The process a test's schema or database belongs to (0 for the older names without one), or
    /// nil for a name that is not a test's.
    static func processID(ofScratchName name: String) -> Int32? {
        if name.range(of: "^[th]_[0-9a-f]{32}$", options: .regularExpression) != nil { return 0 }
        guard name.range(of: "^t[0-9]+_[0-9a-f]{24}$", options: .regularExpression) != nil else { return nil }
        return Int32(name.dropFirst().prefix { $0 != "_" })
    }

    public struct SetupError: Error, CustomStringConvertible {
        public var description: String
        public init(_ description: String) { self.description = description }
    }

    private static func isGone(_ pid: Int32) -> Bool {
        kill(pid, 0) != 0 && errno == ESRCH
    }
}
