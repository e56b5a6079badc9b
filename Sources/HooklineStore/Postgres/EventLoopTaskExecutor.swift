import NIOCore

/// Runs a transaction's code on its connection's event loop, where PostgresNIO answers each
/// statement. On the concurrency pool, each statement cost two thread hand-offs (the query written
/// from the pool to the loop, its answer resumed from the loop on the pool): 16 context switches
/// per event on PostgreSQL (perf, 2026-12-03). Work between statements is short and never waits
/// on the loop itself, so it may run there.
final class EventLoopTaskExecutor: TaskExecutor {
    let eventLoop: any EventLoop

    init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
