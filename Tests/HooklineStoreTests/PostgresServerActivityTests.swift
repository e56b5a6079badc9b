import Foundation
import HooklineStore
import HooklineTestSupport
import Testing

/// What `hookline bench --db` reads of the server around each run.
@Suite struct PostgresServerActivityTests {
    @Test func aCheckpointAskedForIsCounted() async throws {
        let store = try PostgresStore(location: try await TestScratch.postgresLocation(), maximumConnections: 1)
        let before = try await store.serverActivity()
        try await TestScratch.runOnCluster(["CHECKPOINT"])
        // The checkpointer reports its count when the checkpoint ends, a moment after it answers.
        var after = try await store.serverActivity()
        let deadline = ContinuousClock.now + .seconds(60)
        while after.checkpoints == before.checkpoints, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
            after = try await store.serverActivity()
        }
        #expect((after - before).checkpoints >= 1)
    }
}
