import PostgresNIO
import Synchronization
import _ConnectionPoolModule

extension PostgresStore {
    /// How long a statement waits for a connection before the database counts as unreachable: the
    /// pool itself keeps trying for about a minute, too long for a request or a readiness check.
    /// Once this process found the database out of reach, a wait is shorter (`ConnectionOutage`).
    static let connectionWait: Duration = .seconds(10)
    /// How long work on a connection may take before the database counts as unreachable. Every
    /// transaction of Hookline's is short; this bounds the one that will never end, a query
    /// written to a connection the server had just closed (PostgresNIO 1.33 leaves it unanswered
    /// when a restart closes connections under load).
    static let answerWait: Duration = .seconds(15)
    /// The server's deadline for one statement, below `answerWait`: the server rolls back what
    /// this client is about to give up on.
    static let statementTimeout: Duration = .seconds(12)
    /// How long a statement may wait for a row or table another transaction holds.
    static let lockTimeout: Duration = .seconds(8)

    /// A connection of the pool for `body`: `unavailable` when none comes within `connectionWait`
    /// (a second while `outage` is known), or when `body` has not finished `answerWithin` later
    /// (nil: no limit, for a listener).
    ///
    /// The work runs in a task of its own that this call stops waiting for at the deadline
    /// rather than awaits: a query that is never answered cannot be cancelled.
    static func withConnection<T: Sendable>(
        _ client: PostgresClient, location: PostgresLocation, outage: ConnectionOutage, answerWithin: Duration? = answerWait,
        _ body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws -> T {
        let race = DeadlineRace<T>()
        let (connectionWait, mark) = outage.waitBegins(normally: connectionWait)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                race.begin(continuation)
                race.run(
                    work: Task {
                        do {
                            let value = try await client.withConnection { connection in
                                race.markAcquired()
                                outage.acquired()
                                defer { outage.released() }
                                return try await withTaskExecutorPreference(EventLoopTaskExecutor(connection.eventLoop)) {
                                    try await body(connection)
                                }
                            }
                            race.finish(.success(value))
                        } catch let error as ConnectionPoolError where error == .connectionCreationCircuitBreakerTripped {
                            // The pool stopped waiting: it could make no connection for about a minute.
                            outage.waitEnded(since: mark)
                            race.finish(.failure(StoreError.unavailable(location.unreachable("no connection could be made for a minute; Hookline keeps trying"))))
                        } catch where !race.isAcquired && !(error is PSQLError) {
                            // The pool's other errors (a shutdown) before any connection.
                            race.finish(.failure(StoreError.unavailable(location.unreachable("\(error)"))))
                        } catch {
                            race.finish(.failure(error))
                        }
                    },
                    timer: Task {
                        try? await Task.sleep(for: connectionWait)
                        guard !Task.isCancelled else { return }
                        guard race.isAcquired else {
                            outage.waitEnded(since: mark)
                            race.finish(.failure(StoreError.unavailable(location.unreachable("no connection within \(connectionWait.components.seconds) s"))))
                            return
                        }
                        guard let answerWithin else { return }
                        try? await Task.sleep(for: answerWithin)
                        guard !Task.isCancelled else { return }
                        race.finish(.failure(StoreError.unavailable(location.unreachable("no answer within \(answerWithin.components.seconds) s"))))
                    })
            }
        } onCancel: {
            race.cancel()
        }
    }
}

/// The work on a connection and its deadline, racing to answer one waiting caller.
private final class DeadlineRace<T: Sendable>: Sendable {
    private struct State {
        var continuation: CheckedContinuation<T, any Error>?
        var result: Result<T, any Error>?
        var work: Task<Void, Never>?
        var timer: Task<Void, Never>?
        var cancelled = false
    }

    private let state = Mutex(State())
    private let acquired = Atomic<Bool>(false)

    var isAcquired: Bool { acquired.load(ordering: .relaxed) }
    func markAcquired() { acquired.store(true, ordering: .relaxed) }

    func begin(_ continuation: CheckedContinuation<T, any Error>) {
        state.withLock { $0.continuation = continuation }
    }

    func run(work: Task<Void, Never>, timer: Task<Void, Never>) {
        let (finished, cancelled) = state.withLock { state -> (Bool, Bool) in
            state.work = work
            state.timer = timer
            return (state.result != nil, state.cancelled)
        }
        if finished || cancelled { timer.cancel() }
        if cancelled { work.cancel() }
    }

    /// The first result answers the caller; the loser's is dropped. At the deadline the work is
    /// also cancelled, which ends a wait for a connection.
    func finish(_ result: Result<T, any Error>) {
        let (continuation, timer, work) = state.withLock { state -> (CheckedContinuation<T, any Error>?, Task<Void, Never>?, Task<Void, Never>?) in
            guard state.result == nil else { return (nil, nil, nil) }
            state.result = result
            defer { state.continuation = nil }
            return (state.continuation, state.timer, state.work)
        }
        guard let continuation else { return }
        timer?.cancel()
        if case .failure(let error) = result, error is StoreError { work?.cancel() }
        continuation.resume(with: result)
    }

    func cancel() {
        let work = state.withLock { state -> Task<Void, Never>? in
            state.cancelled = true
            return state.work
        }
        work?.cancel()
    }
}
