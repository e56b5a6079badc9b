import Foundation
import HooklineStore
import Logging
import NIOPosix
import PostgresNIO
import Synchronization

/// Where tests keep their files and PostgreSQL schemas. Names carry the test process's id, so a
/// run removes what earlier runs left behind (their processes are gone: a run leaves about 100 MB
/// of SQLite files and a hundred schemas) and never what a run going on beside it still uses.
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

    /// A location on the cluster at `url` with a fresh schema of its own, after the schemas of test
    /// processes that are gone were dropped (once per process and cluster).
    public static func postgresLocation(url: String) async throws -> PostgresLocation {
        let cluster = try PostgresLocation(url: url)
        let sweep = sweeps.withLock { sweeps in
            if let running = sweeps[url] { return running }
            let started = Task { await dropSchemasOfGoneProcesses(cluster) }
            sweeps[url] = started
            return started
        }
        await sweep.value
        var location = cluster
        location.schema = "t\(getpid())_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(24)
        return location
    }

    private static let sweeps = Mutex<[String: Task<Void, Never>]>([:])

    /// Drops the schemas named `t<pid>_…` whose process is gone, and the `t_<32 hex>` of runs
    /// before names carried one.
    public static func dropSchemasOfGoneProcesses(_ location: PostgresLocation) async {
        let logger = Logger(label: "test-scratch")
        let configuration = PostgresConnection.Configuration(
            host: location.host, port: location.port, username: location.username, password: location.password, database: location.database,
            tls: .disable)
        // Leftovers stay until a later run: never a reason to fail this one.
        guard
            let connection = try? await PostgresConnection.connect(
                on: MultiThreadedEventLoopGroup.singleton.next(), configuration: configuration, id: 1, logger: logger)
        else { return }
        let rows = (try? await connection.query("SELECT nspname FROM pg_namespace WHERE nspname LIKE 't%\\_%'", logger: logger).collect()) ?? []
        let gone = rows.compactMap { try? $0.decode(String.self) }.filter { name in
            processID(ofSchema: name).map { $0 == 0 || isGone($0) } ?? false
        }
        for name in gone {
            // Checked by `processID(ofSchema:)`: lower-case letters, digits and _ only.
            _ = try? await connection.query(PostgresQuery(unsafeSQL: "DROP SCHEMA IF EXISTS \(name) CASCADE"), logger: logger)
        }
        try? await connection.close()
    }

    /// The process a test schema belongs to (0 for the older `t_<32 hex>` names), or nil for a
    /// schema that is not a test's.
    static func processID(ofSchema name: String) -> Int32? {
        if name.range(of: "^t_[0-9a-f]{32}$", options: .regularExpression) != nil { return 0 }
        guard name.range(of: "^t[0-9]+_[0-9a-f]{24}$", options: .regularExpression) != nil else { return nil }
        return Int32(name.dropFirst().prefix { $0 != "_" })
    }

    private static func isGone(_ pid: Int32) -> Bool {
        kill(pid, 0) != 0 && errno == ESRCH
    }
}
