import Foundation
import HooklineProcesses
import HooklineTestSupport
import PostgresNIO
import Testing
@testable import HooklineStore

/// The suite cleans up what its earlier runs left, and never under a run going on beside it.
@Suite struct TestScratchTests {
    @Test func schemasAndDatabasesOfGoneProcessesAreDroppedAndOthersKept() async throws {
        let cluster = try PostgresLocation(url: try TestScratch.postgresURL)
        let suffix = UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        let leftover = "t\(try await Self.goneProcessID())_" + suffix.prefix(24)
        let older = "t_" + suffix
        let olderDatabase = "h_" + suffix
        let notATests = "hookline_kept_" + suffix.prefix(8)
        let live = try #require(try await TestScratch.postgresLocation().schema)
        let liveDatabase = try #require(URLComponents(string: try await TestScratch.postgresDatabase())?.path.dropFirst())
        try await TestScratch.runOnCluster(
            [leftover, older, notATests, live].map { "CREATE SCHEMA \($0)" } + [leftover, olderDatabase, notATests].map { "CREATE DATABASE \($0)" })

        await TestScratch.dropWhatGoneProcessesLeft(cluster)

        let store = try PostgresStore(location: cluster, maximumConnections: 1)
        let schemas = Set(try await store.rows("SELECT nspname FROM pg_namespace").map { try $0.column("nspname", as: String.self) })
        #expect(!schemas.contains(leftover) && !schemas.contains(older))
        #expect(schemas.contains(live) && schemas.contains(notATests))
        let databases = Set(try await store.rows("SELECT datname FROM pg_database").map { try $0.column("datname", as: String.self) })
        #expect(!databases.contains(leftover) && !databases.contains(olderDatabase))
        #expect(databases.contains(String(liveDatabase)) && databases.contains(notATests))
        try await TestScratch.runOnCluster(
            [notATests, live].map { "DROP SCHEMA \($0)" } + [notATests, String(liveDatabase)].map { "DROP DATABASE \($0) WITH (FORCE)" })
    }

    @Test func foldersOfGoneProcessesAreRemovedOnFirstUse() throws {
        let mine = TestScratch.directory
        #expect(mine.lastPathComponent == String(getpid()))
        for name in try FileManager.default.contentsOfDirectory(atPath: mine.deletingLastPathComponent().path) {
            let pid = try #require(Int32(name), "only process ids under the scratch root")
            #expect(kill(pid, 0) == 0 || errno != ESRCH, "the folder of gone process \(name) was left")
        }
    }

    /// The id of a process that has just exited.
    static func goneProcessID() async throws -> Int32 {
        let process = try ChildProcess(executable: "/bin/true", arguments: [], environment: [:])
        await process.waitUntilExit()
        return process.processIdentifier
    }
}
