import Synchronization

/// Whether this process has found its database out of reach, so that a request waits a second
/// for a connection instead of the full `connectionWait`: with the database gone, PostgresNIO's
/// pool keeps every request waiting until its circuit breaker trips about a minute later, and a
/// sender (or a load balancer's readiness probe) gave up on Hookline long before its 503 came.
///
/// An outage is known when a wait for a connection ended with none, while no connection of this
/// store was in use and none had been handed to anyone since that wait began: the pool had every
/// connection free to give and could make none. A pool that is merely busy (every connection in
/// use by long work) is not an outage. The next connection handed to anyone ends it.
final class ConnectionOutage: Sendable {
    /// How long a request waits for a connection while an outage is known: enough for a pool
    /// that is making one again as the database comes back, short of any sender's timeout.
    static let wait: Duration = .seconds(1)

    private let handedOut = Atomic<UInt64>(0)
    private let inUse = Atomic<Int>(0)
    private let known = Atomic<Bool>(false)

    var isKnown: Bool { known.load(ordering: .relaxed) }

    /// How long a wait beginning now lasts, and the mark to end it with (`waitEnded(since:)`).
    func waitBegins(normally normal: Duration) -> (wait: Duration, mark: UInt64) {
        (isKnown ? min(Self.wait, normal) : normal, handedOut.load(ordering: .acquiring))
    }

    /// A connection was handed to a caller: whatever outage was known is over.
    func acquired() {
        inUse.add(1, ordering: .relaxed)
        handedOut.add(1, ordering: .releasing)
        if known.load(ordering: .relaxed) { known.store(false, ordering: .relaxed) }
    }

    /// The caller gave its connection back to the pool.
    func released() {
        inUse.subtract(1, ordering: .relaxed)
    }

    /// A wait that began at `mark` ended without a connection.
    func waitEnded(since mark: UInt64) {
        guard handedOut.load(ordering: .acquiring) == mark, inUse.load(ordering: .relaxed) == 0 else { return }
        known.store(true, ordering: .relaxed)
    }
}
