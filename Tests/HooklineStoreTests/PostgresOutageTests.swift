import Foundation
import HooklineCore
@testable import HooklineStore
import HooklineTestSupport
import Testing

/// A database that went away: the first request waits the whole connection wait and finds it
/// gone; the requests after it are answered within a second until a connection comes again. A
/// pool that is only busy is not taken for a database gone.
@Suite struct PostgresOutageTests {
    /// The message of what `work` threw, or "answered".
    static func failure(_ work: () async throws -> Void) async -> String {
        do {
            try await work()
            return "answered"
        } catch {
            return "\(error)"
        }
    }

    @Test func aWaitThatFoundNothingToGiveStartsAnOutageAndAConnectionEndsIt() {
        let outage = ConnectionOutage()
        let first = outage.waitBegins(normally: .seconds(10))
        #expect(first.wait == .seconds(10))
        outage.waitEnded(since: first.mark)
        #expect(outage.isKnown)
        #expect(outage.waitBegins(normally: .seconds(10)).wait == ConnectionOutage.wait)

        outage.acquired()
        #expect(!outage.isKnown)
        outage.released()
        #expect(outage.waitBegins(normally: .seconds(10)).wait == .seconds(10))
    }

    @Test func aWaitBesideAConnectionInUseOrHandedOutIsNoOutage() {
        let outage = ConnectionOutage()
        // Every connection is held by long work: the pool is busy, not gone.
        outage.acquired()
        let beside = outage.waitBegins(normally: .seconds(10))
        outage.waitEnded(since: beside.mark)
        #expect(!outage.isKnown)
        outage.released()

        // One was handed to someone else, and given back, while this wait went on.
        let during = outage.waitBegins(normally: .seconds(10))
        outage.acquired()
        outage.released()
        outage.waitEnded(since: during.mark)
        #expect(!outage.isKnown)
    }

    /// Nothing listens on the port: the first request finds that out in the connection wait, the
    /// next is told within a second.
    @Test func afterTheFirstWaitFindsTheDatabaseGoneRequestsAreAnsweredWithinASecond() async throws {
        let port = try freeLoopbackPort()
        let store = try PostgresStore(url: "postgres://hookline@127.0.0.1:\(port)/hookline", maximumConnections: 2)
        let first = await Self.failure { try await store.ping() }
        #expect(first.contains("cannot be reached (no connection within 10 s)") && first.contains("127.0.0.1:\(port)/hookline"), "\(first)")
        #expect(store.outage.isKnown)
        let second = await Self.failure { try await store.ping() }
        #expect(second.contains("cannot be reached (no connection within 1 s)"), "\(second)")
        #expect(store.outage.isKnown)
    }

    /// The only connection is held by work that runs long: a request that waited for it in vain is
    /// told so after the whole wait, and the next one still waits as long.
    @Test func aBusyPoolIsNotTakenForADatabaseGone() async throws {
        let store = try PostgresStore(location: try await TestScratch.postgresLocation(), maximumConnections: 1)
        try await store.ping()
        let (entered, signal) = AsyncStream.makeStream(of: Void.self)
        let holder = Task {
            try await store.withConnection(answerWithin: nil) { _ in
                signal.yield()
                try await Task.sleep(for: .seconds(300))
            }
        }
        defer { holder.cancel() }
        var holding = entered.makeAsyncIterator()
        _ = await holding.next()
        let waited = await Self.failure { try await store.ping() }
        #expect(waited.contains("no connection within 10 s"), "\(waited)")
        #expect(!store.outage.isKnown)

        holder.cancel()
        try await store.ping()
        #expect(!store.outage.isKnown)
    }

    /// An outage this process knew of ends with the first connection the pool hands out again.
    @Test func theFirstConnectionAfterAnOutageEndsIt() async throws {
        let store = try PostgresStore(location: try await TestScratch.postgresLocation(), maximumConnections: 2)
        // A connection made and idle in the pool: the one handed out next, within the short wait.
        try await store.ping()
        store.outage.waitEnded(since: store.outage.waitBegins(normally: .seconds(10)).mark)
        #expect(store.outage.isKnown)
        try await store.ping()
        #expect(!store.outage.isKnown)
        #expect(store.outage.waitBegins(normally: .seconds(10)).wait == .seconds(10))
    }
}
