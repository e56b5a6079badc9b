import Foundation
import HooklineCore
import Logging
import NIOSSL
import PostgresNIO
import Synchronization

/// The engine for several processes: PostgreSQL through PostgresNIO's pooled `PostgresClient`.
///
/// What it guarantees to concurrent callers, in any number of processes, comes from row locks
/// taken in one order (a call's or lead's row, then webhooks by id, then their deliveries;
/// webhooks `FOR NO KEY UPDATE`, since writing a delivery checks its webhook's key, which a lock
/// of the whole row would make wait for every lease and record of that webhook), from
/// `SKIP LOCKED` where a worker may take something else instead of waiting, and from
/// `ON CONFLICT` and advisory locks where two writers may create the same row. A transaction
/// PostgreSQL aborts for a deadlock or a serialization failure is run again.
public final class PostgresStore: Store, StoredText {
    public let location: PostgresLocation
    let client: PostgresClient
    let logger: Logger
    /// The pool's connections live while `client.run()` does: for as long as the store, which
    /// has no scope of its own to run it in (the server's services and every test hold stores).
    private let runner: Task<Void, Never>
    let webhookCache = PostgresWebhookCache()
    let dueTimeAdvancer: DueTimeAdvancer
    let webhookLocks = WebhookLocks()
    let outage = ConnectionOutage()
    let ingestLanes: IngestLanes<IngestRequest, Result<Ingested, any Error>>
    /// Accounts by key digest: an account and its key never change once created.
    private let accountsByDigest = Mutex<[String: Account]>([:])
    /// Why the last write failed for want of space; nil once one succeeds.
    let fullStorage = Mutex<String?>(nil)

    /// - Parameters:
    ///   - maximumConnections: the pool's size in this process.
    public init(location: PostgresLocation, maximumConnections: Int = 20, logger: Logger = Logger(label: "hookline.postgres")) throws {
        let tls: PostgresClient.Configuration.TLS =
            switch location.tls {
            case .disable: .disable
            case .prefer: .prefer(.makeClientConfiguration())
            case .require: .require(.makeClientConfiguration())
            }
        var configuration = PostgresClient.Configuration(
            host: location.host, port: location.port, username: location.username, password: location.password, database: location.database, tls: tls)
        configuration.options.maximumConnections = maximumConnections
        configuration.options.minimumConnections = 0
        configuration.options.connectTimeout = .seconds(5)
        // The server gives up before this client does (`answerWait`), so what the client stops
        // waiting for is rolled back, not committed behind its back; a wait on a lock is bounded
        // below that; a transaction left idle by a client that went away is ended.
        var parameters: [(String, String)] = [
            ("application_name", "hookline"), ("statement_timeout", "\(Self.statementTimeout.components.seconds)s"),
            ("lock_timeout", "\(Self.lockTimeout.components.seconds)s"), ("idle_in_transaction_session_timeout", "30s"),
        ]
        if let schema = location.schema {
            parameters.append(("search_path", try PostgresLocation.checkedSchemaName(schema)))
        }
        configuration.options.additionalStartupParameters = parameters
        // The pool's own chatter (a connection that could not be made, and is made again) is
        // noise beside the errors the store reports itself.
        var backgroundLogger = logger
        backgroundLogger.logLevel = max(logger.logLevel, .warning)
        let client = PostgresClient(configuration: configuration, backgroundLogger: backgroundLogger)
        self.client = client
        // A quarter of the pool, as the ingest lanes take at most a quarter.
        dueTimeAdvancer = DueTimeAdvancer(concurrentWrites: max(1, maximumConnections / 4))
        ingestLanes = IngestLanes(
            lanes: Self.ingestLanes(maximumConnections: maximumConnections), largestBatch: Self.largestIngestBatch, longestWait: Self.connectionWait
        ) { [location] in
            .failure(StoreError.unavailable(
                "the database at \(location.host):\(location.port)/\(location.database) is too busy: the event waited \(Self.connectionWait.components.seconds) s for a transaction; nothing of it was stored; retry it"))
        }
        self.location = location
        self.logger = logger
        runner = Task { await client.run() }
    }

    public convenience init(url: String, maximumConnections: Int = 20) throws {
        try self.init(location: PostgresLocation(url: url), maximumConnections: maximumConnections)
    }

    deinit {
        runner.cancel()
    }

    public func migrate() async throws {
        let (schema, logger) = (location.schema, logger)
        // A migration may rewrite a large table: no answer deadline.
        let applied = try await withConnection(answerWithin: nil) { connection in try await PostgresSchema.migrate(on: connection, schema: schema, logger: logger) }
        if !applied.isEmpty { logger.info("migrated", metadata: ["versions": "\(applied)"]) }
    }

    /// Drops the store's own schema, and all it holds: for a scratch schema such as the bench's.
    /// A store on the database's default schema has none of its own and drops nothing.
    public func dropSchema() async throws {
        guard let schema = location.schema else { return }
        let (name, logger) = (try PostgresLocation.checkedSchemaName(schema), logger)
        try await withConnection(answerWithin: nil) { connection in
            try await connection.run(PostgresQuery(unsafeSQL: "DROP SCHEMA IF EXISTS \(name) CASCADE"), logger: logger)
        }
    }

    // MARK: Running statements

    /// One transaction on one connection of the pool, run again (up to five times) when
    /// PostgreSQL aborts it for a deadlock or a serialization failure.
    ///
    /// It runs in a task of its own, not cancelled with its caller: a write once begun is
    /// committed or rolled back whole, as SQLite's group commit does, so a client that goes away
    /// neither fails it nor leaves its connection in the middle of a transaction.
    func transaction<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        let (client, logger, location, outage) = (client, logger, location, outage)
        return try await guardingStorage {
            try await Task {
                var attempt = 0
                while true {
                    attempt += 1
                    do {
                        return try await Self.withConnection(client, location: location, outage: outage) { connection in
                            try await connection.run("BEGIN", logger: logger)
                            do {
                                let value = try await body(connection)
                                // Past its deadline the caller was told `unavailable`: what it was
                                // told did not happen must not commit now.
                                try Task.checkCancellation()
                                try await connection.run("COMMIT", logger: logger)
                                return value
                            } catch {
                                await Self.rollback(connection, after: error, logger: logger)
                                throw error
                            }
                        }
                    } catch let error as PSQLError where attempt < 5 && Self.isRetryable(error) {
                        continue
                    }
                }
            }.value
        }
    }

    /// A statement on a connection of the pool, outside any transaction.
    func rows(_ query: PostgresQuery) async throws -> [PostgresRandomAccessRow] {
        try await withConnection { [logger] connection in try await connection.rows(query, logger: logger) }
    }

    /// A connection of the pool for `body`, outside any transaction.
    func withConnection<T: Sendable>(
        answerWithin: Duration? = PostgresStore.answerWait, _ body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws -> T {
        do {
            return try await Self.withConnection(client, location: location, outage: outage, answerWithin: answerWithin, body)
        } catch let error as PSQLError {
            throw unavailable(error) ?? error
        }
    }

    /// Rolls back after a statement failed, on a connection that is still there. A query written
    /// to a connection already closed is never answered (PostgresNIO 1.33 drops it with the
    /// channel's handlers), and the server rolls back a lost connection's transaction itself.
    static func rollback(_ connection: PostgresConnection, after error: any Error, logger: Logger) async {
        if let error = error as? PSQLError, error.code != .server { return }
        guard !connection.isClosed else { return }
        try? await connection.run("ROLLBACK", logger: logger)
    }

    static func isRetryable(_ error: PSQLError) -> Bool {
        let state = error.serverInfo?[.sqlState]
        return state == "40P01" || state == "40001"
    }

    static func sqlState(_ error: any Error) -> String? {
        (error as? PSQLError)?.serverInfo?[.sqlState]
    }

    /// Writes that fail for want of space (disk full: 53100) say so, and the store remembers it
    /// until a write succeeds again.
    private func guardingStorage<T>(_ operation: () async throws -> T) async throws -> T {
        do {
            let value = try await operation()
            fullStorage.withLock { if $0 != nil { $0 = nil } }
            return value
        } catch let error as PSQLError where Self.sqlState(error) == "53100" {
            let problem = "the database cannot grow (disk full); nothing of this request was stored"
            fullStorage.withLock { $0 = problem }
            throw StoreError.storageFull(problem)
        } catch let error as PSQLError {
            throw unavailable(error) ?? error
        }
    }

    /// A lost or refused connection, said plainly; nil for errors of a statement.
    func unavailable(_ error: PSQLError) -> StoreError? {
        switch error.code {
        case .connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown, .poolClosed, .sslUnsupported, .failedToAddSSLHandler:
            let cause = (error.underlying.map { String(describing: $0) }) ?? "\(error.code)"
            return .unavailable(location.unreachable(cause) + "; retry the request")
        case .server:
            // The server's own deadlines (see `statementTimeout`): rolled back, nothing stored.
            if let state = Self.sqlState(error), state == "55P03" || state == "57014" {
                return .unavailable("the database did not finish in time (a row or table held too long by other work); nothing of this request was stored; retry it")
            }
            // Refused at sign-in (a wrong password, no such database or role) or shut down by its administrator.
            guard let state = Self.sqlState(error), state.hasPrefix("28") || state.hasPrefix("3D") || state.hasPrefix("57P") else { return nil }
            let message = error.serverInfo?[.message] ?? state
            return .unavailable("the database at \(location.host):\(location.port)/\(location.database) refused Hookline: \(message)")
        default:
            return nil
        }
    }

    public func storageProblem() async -> String? {
        guard fullStorage.withLock({ $0 }) != nil else { return nil }
        // A rolled-back write of 64 KiB: space that has come back clears the problem.
        do {
            try await withConnection { [logger] connection in
                try await connection.query("BEGIN", logger: logger)
                do {
                    try await connection.query("INSERT INTO settings (key, value) VALUES ('storage-probe', repeat('x', 65536)) ON CONFLICT (key) DO NOTHING", logger: logger)
                    try await connection.query("ROLLBACK", logger: logger)
                } catch {
                    await Self.rollback(connection, after: error, logger: logger)
                    throw error
                }
            }
            fullStorage.withLock { $0 = nil }
            return nil
        } catch {
            return fullStorage.withLock { $0 }
        }
    }

    // MARK: Settings and accounts

    public func setting(_ key: String) async throws -> String? {
        try await rows("SELECT value FROM settings WHERE key = \(key)").first.map { try $0.column("value") }
    }

    public func insertSettingIfAbsent(_ key: String, value: String) async throws -> String {
        try await transaction { [logger] connection in
            try await connection.run("INSERT INTO settings (key, value) VALUES (\(key), \(value)) ON CONFLICT (key) DO NOTHING", logger: logger)
            return try await connection.rows("SELECT value FROM settings WHERE key = \(key)", logger: logger).first.map { try $0.column("value") } ?? value
        }
    }

    public func createAccount(_ account: Account, keyDigest: String) async throws {
        try await transaction { [logger] connection in
            try await connection.run(
                "INSERT INTO accounts (id, name, key_digest, created_at) VALUES (\(account.id), \(account.name), \(keyDigest), \(account.createdAt.millisecondsSince1970))",
                logger: logger)
        }
    }

    public func account(keyDigest: String) async throws -> Account? {
        if let known = accountsByDigest.withLock({ $0[keyDigest] }) { return known }
        let account = try await rows("SELECT id, name, created_at FROM accounts WHERE key_digest = \(keyDigest)").first.map(Self.account)
        if let account { accountsByDigest.withLock { $0[keyDigest] = account } }
        return account
    }

    public func accounts() async throws -> [Account] {
        try await rows("SELECT id, name, created_at FROM accounts ORDER BY id").map(Self.account)
    }

    public func account(id: String) async throws -> Account? {
        try await rows("SELECT id, name, created_at FROM accounts WHERE id = \(id)").first.map(Self.account)
    }

    static func account(_ row: PostgresRandomAccessRow) throws -> Account {
        Account(id: try row.column("id"), name: try row.column("name"), createdAt: try row.time("created_at"))
    }

    // MARK: Webhooks

    public func insertWebhook(_ webhook: Webhook) async throws {
        let settings = try Self.encode(webhook.settings)
        let secrets = try Self.encode(webhook.secrets)
        try await transaction { [logger] connection in
            try await connection.run(
                """
                INSERT INTO webhooks (id, account_id, enabled, settings, secrets, max_in_flight, created_at, updated_at, channel)
                VALUES (\(webhook.id), \(webhook.accountID), \(webhook.settings.enabled), \(settings), \(secrets), \(webhook.settings.maxInFlight),
                    \(webhook.createdAt.millisecondsSince1970), \(webhook.updatedAt.millisecondsSince1970), \(ChannelKind(webhook.settings)?.rawValue))
                """, logger: logger)
        }
    }

    public func webhook(id: String, accountID: String) async throws -> Webhook? {
        try await rows("SELECT * FROM webhooks WHERE id = \(id) AND account_id = \(accountID)").first.map(webhookCache.webhook)
    }

    public func webhooks(accountID: String) async throws -> [Webhook] {
        try await rows("SELECT * FROM webhooks WHERE account_id = \(accountID) ORDER BY id").map(webhookCache.webhook)
    }

    /// Saves new settings. Enabling a webhook clears why it was disabled and makes its waiting
    /// deliveries leasable again.
    public func updateWebhook(_ webhook: Webhook) async throws {
        try await transaction { [logger] connection in try await Self.writeSettings(of: webhook, connection: connection, logger: logger) }
    }

    public func changeWebhook(
        id: String, accountID: String, now: Timestamp, _ change: @escaping @Sendable (WebhookSettings) throws -> WebhookSettings
    ) async throws -> Webhook? {
        let cache = webhookCache
        return try await transaction { [logger] connection in
            guard
                let row = try await connection.rows("SELECT * FROM webhooks WHERE id = \(id) AND account_id = \(accountID) FOR NO KEY UPDATE", logger: logger).first
            else { return nil }
            var webhook = try cache.webhook(row)
            webhook.settings = try change(webhook.settings)
            webhook.updatedAt = now
            try await Self.writeSettings(of: webhook, connection: connection, logger: logger)
            return webhook
        }
    }

    private static func writeSettings(of webhook: Webhook, connection: PostgresConnection, logger: Logger) async throws {
        let changed = try await connection.rows(
            """
            UPDATE webhooks SET enabled = \(webhook.settings.enabled), settings = \(try encode(webhook.settings)), max_in_flight = \(webhook.settings.maxInFlight),
                updated_at = \(webhook.updatedAt.millisecondsSince1970), revision = revision + 1,
                disabled_reason = CASE WHEN \(webhook.settings.enabled) THEN NULL ELSE disabled_reason END, rate_empty_until = NULL
            WHERE id = \(webhook.id) AND account_id = \(webhook.accountID) RETURNING id
            """, logger: logger)
        guard !changed.isEmpty else { throw StoreError.notFound("webhook \(webhook.id) not found") }
        try await refreshDueTime(webhookID: webhook.id, now: webhook.updatedAt, connection: connection, logger: logger)
    }

    public func rotateSecret(webhookID: String, accountID: String, now: Timestamp) async throws -> Webhook? {
        let cache = webhookCache
        return try await transaction { [logger] connection in
            guard
                let row = try await connection.rows("SELECT * FROM webhooks WHERE id = \(webhookID) AND account_id = \(accountID) FOR NO KEY UPDATE", logger: logger).first
            else { return nil }
            var webhook = try cache.webhook(row)
            webhook.secrets = webhook.secrets.rotated(now: now)
            webhook.updatedAt = now
            try await connection.run(
                "UPDATE webhooks SET secrets = \(try Self.encode(webhook.secrets)), updated_at = \(now.millisecondsSince1970), revision = revision + 1 WHERE id = \(webhookID)",
                logger: logger)
            return webhook
        }
    }

    public func deleteWebhook(id: String, accountID: String) async throws -> Bool {
        let deleted = try await transaction { [logger] connection in
            try await !connection.rows("DELETE FROM webhooks WHERE id = \(id) AND account_id = \(accountID) RETURNING id", logger: logger).isEmpty
        }
        if deleted { webhookCache.forget(id) }
        return deleted
    }

    // MARK: Health of the store

    public func ping() async throws {
        _ = try await rows("SELECT 1 AS one")
    }

    public func statistics(now: Timestamp) async throws -> StoreStatistics {
        let ms = now.millisecondsSince1970
        // The kept total and the deltas not folded yet; leased rows are few (the workers' slots).
        let counts = try await rows(
            """
            SELECT ((SELECT pending FROM pending_count) + (SELECT COALESCE(SUM(delta), 0) FROM pending_count_deltas))::BIGINT AS pending,
                (SELECT COUNT(*) FROM deliveries WHERE \(unescaped: DeliveryPredicates.leased(at: String(ms)))) AS leased
            """
        ).first
        let failing = try await rows("SELECT COUNT(*) AS failing FROM webhooks WHERE enabled AND health_state = 'failing'").first
        return StoreStatistics(
            pending: try counts?.column("pending") ?? 0, leased: try counts?.column("leased") ?? 0, failingEndpoints: try failing?.column("failing") ?? 0,
            statementsSent: PostgresStatements.sent.load(ordering: .relaxed))
    }
}

