import HooklineCore
import HooklineStore
import Logging
import ServiceLifecycle

/// Purges what `Retention` no longer keeps, in the background, in every process whatever its role
/// (processes purging at once skip each other's rows): at each sweep, batch after batch
/// until one comes back short, each batch its own short transaction, with a pause between them
/// so that ingest and deliveries go on meanwhile.
public struct RetentionSweeper: Service {
    let store: any Store
    let retention: Retention
    let logger: Logger
    /// Pause between two batches of one sweep.
    let pause: Duration

    public init(store: any Store, retention: Retention, logger: Logger, pause: Duration = .milliseconds(50)) {
        self.store = store
        self.retention = retention
        self.logger = logger
        self.pause = pause
    }

    public func run() async throws {
        guard retention.days != nil else { return }
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            await sweep(now: .now)
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: retention.interval) }
        }
    }

    /// One sweep; answers what it purged.
    @discardableResult
    public func sweep(now: Timestamp) async -> Purged {
        guard let plan = retention.plan(now: now) else { return Purged() }
        var total = Purged()
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            do {
                let purged = try await store.purge(plan)
                total = total + purged
                if !purged.isFull(limit: plan.limit) { break }
            } catch {
                logger.warning("purging old deliveries failed; the next sweep tries again", metadata: ["error": "\(String(reflecting: error))"])
                break
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: pause) }
        }
        if total != Purged() {
            logger.info(
                "purged",
                metadata: [
                    "deliveries": "\(total.deliveries)", "events": "\(total.events)", "calls and leads": "\(total.subjects)", "keys": "\(total.keys)",
                    "before": "\(plan.finishedBefore)",
                ])
        }
        return total
    }
}
