import HooklineCore
import Logging
import PostgresNIO
import Synchronization

/// Workers in other processes learn that something became due from `LISTEN`: the trigger of
/// migration 2 notifies `hookline_due_<schema of the webhooks table>` at the commit of whatever
/// makes a webhook due now.
extension PostgresStore {
    public func watchDueDeliveries(_ onDue: @escaping @Sendable () -> Void) async {
        let logger = logger
        var backoff = Duration.milliseconds(100)
        while !Task.isCancelled {
            let listened = Atomic<Bool>(false)
            do {
                // One connection of the pool, held for as long as it listens.
                try await withConnection(answerWithin: nil) { connection in
                    let channel = try await connection.rows(
                        "SELECT 'hookline_due_' || relnamespace::regnamespace::text AS channel FROM pg_class WHERE oid = 'webhooks'::regclass",
                        logger: logger
                    ).first.map { try $0.column("channel", as: String.self) } ?? "hookline_due_public"
                    try await connection.listen(on: channel) { notifications in
                        listened.store(true, ordering: .relaxed)
                        // What became due while no one listened.
                        onDue()
                        for try await _ in notifications { onDue() }
                    }
                }
            } catch {
                guard !Task.isCancelled else { return }
                logger.warning("listening for due deliveries failed; polling meanwhile", metadata: ["error": "\(String(reflecting: error))"])
            }
            if listened.load(ordering: .relaxed) { backoff = .milliseconds(100) }
            try? await Task.sleep(for: backoff)
            backoff = min(backoff * 2, .seconds(5))
        }
    }
}
