import Foundation
import GRDB
import HooklineCore
import Synchronization

/// The embedded engine: one SQLite file in WAL mode, through GRDB. Writes are serialized by SQLite
/// itself; reads run concurrently.
public final class SQLiteStore: Store {
    public let path: String
    let pool: DatabasePool
    /// The hot writes (ingest, attempt records) go through group commit.
    let groupCommit: GroupCommit
    private let checkpointer: Checkpointer
    let webhookCache = SQLiteWebhookCache()
    /// Accounts by key digest. An account and its key never change once created, so an entry never
    /// goes stale; every API request looks its caller up here.
    private let accountsByDigest = Mutex<[String: Account]>([:])
    /// Why the last write failed for want of space; nil once one succeeds.
    let fullStorage = Mutex<String?>(nil)
    let deliveryLock: DeliveryLock

    /// Twice what the checkpointer lets the WAL grow to under load (frames of 4 KB pages).
    static let walFileLimit = 2 * Int(Checkpointer.defaultWriterCheckpointFrames) * 4096

    /// How long a connection waits for another's lock before it fails ("database is locked"):
    /// opening one reads the schema, which a writer's lock can hold up for a moment.
    static let busyMode = Database.BusyMode.timeout(10)

    public init(path: String) throws {
        var configuration = Configuration()
        configuration.busyMode = Self.busyMode
        configuration.prepareDatabase { db in
            // A group commit that reruns a batch puts each write in a savepoint, whose journal of
            // original pages is a temporary file by default: thousands of page writes a second
            // nobody reads.
            try db.execute(sql: "PRAGMA temp_store = MEMORY")
            // A group-commit transaction touches many pages; SQLite's 2 MB default cache spills
            // them to the WAL mid-transaction.
            try db.execute(sql: "PRAGMA cache_size = -32768")
        }
        self.path = path
        pool = try DatabasePool(path: path, configuration: configuration)
        deliveryLock = DeliveryLock(databasePath: path)
        // FULL: an accepted event survives a power cut, not only a crash (the WAL is synced at each
        // commit). Set here, not in `prepareDatabase`: opening the pool switches the writer to WAL
        // and then to `synchronous = NORMAL`, after `prepareDatabase` has run.
        try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        // The WAL is reused, not shrunk, when it starts over: after a burst that a long read held
        // from being checkpointed, its file is cut back to this size.
        try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA journal_size_limit = \(Self.walFileLimit)") }
        groupCommit = GroupCommit(writer: pool)
        checkpointer = try Checkpointer(path: path)
        pool.writeWithoutTransaction { db in checkpointer.install(on: db) }
    }

    deinit {
        // Not waited for: the last reference may go on any thread, and the writer's connection
        // closes only after this job.
        let checkpointer = checkpointer
        pool.asyncWriteWithoutTransaction { db in checkpointer.uninstall(from: db) }
    }

    /// On the writer's own queue, not the caller's thread: each migration commits and waits for the
    /// disk, and a thread of the concurrency pool (two on two cores) held that long stalls every
    /// other task of the process, a database client's connections among them.
    public func migrate() async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            SQLiteSchema.migrator.asyncMigrate(pool) { result in continuation.resume(with: result.map { _ in }) }
        }
    }

    // MARK: Settings and accounts

    public func setting(_ key: String) async throws -> String? {
        try await pool.read { db in
            try String.fetchOne(db, sql: "SELECT value FROM settings WHERE key = ?", arguments: [key])
        }
    }

    public func insertSettingIfAbsent(_ key: String, value: String) async throws -> String {
        try await write { db in
            try db.execute(sql: "INSERT OR IGNORE INTO settings (key, value) VALUES (?, ?)", arguments: [key, value])
            return try String.fetchOne(db, sql: "SELECT value FROM settings WHERE key = ?", arguments: [key]) ?? value
        }
    }

    public func createAccount(_ account: Account, keyDigest: String) async throws {
        try await write { db in
            try db.execute(
                sql: "INSERT INTO accounts (id, name, key_digest, created_at) VALUES (?, ?, ?, ?)",
                arguments: [account.id, account.name, keyDigest, account.createdAt.millisecondsSince1970])
        }
    }

    public func account(keyDigest: String) async throws -> Account? {
        if let known = accountsByDigest.withLock({ $0[keyDigest] }) { return known }
        let account = try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT id, name, created_at FROM accounts WHERE key_digest = ?", arguments: [keyDigest])
                .map(Self.account)
        }
        if let account { accountsByDigest.withLock { $0[keyDigest] = account } }
        return account
    }

    public func accounts() async throws -> [Account] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT id, name, created_at FROM accounts ORDER BY id").map(Self.account)
        }
    }

    public func account(id: String) async throws -> Account? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT id, name, created_at FROM accounts WHERE id = ?", arguments: [id]).map(Self.account)
        }
    }

    static func account(_ row: Row) -> Account {
        Account(id: row["id"], name: row["name"], createdAt: Timestamp(millisecondsSince1970: row["created_at"]))
    }

    // MARK: Webhooks

    public func insertWebhook(_ webhook: Webhook) async throws {
        let settings = try Self.encode(webhook.settings)
        let secrets = try Self.encode(webhook.secrets)
        try await write { db in
            try db.execute(
                sql: """
                    INSERT INTO webhooks (id, account_id, enabled, settings, secrets, max_in_flight, created_at, updated_at, channel)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    webhook.id, webhook.accountID, webhook.settings.enabled, settings, secrets, webhook.settings.maxInFlight,
                    webhook.createdAt.millisecondsSince1970, webhook.updatedAt.millisecondsSince1970, ChannelKind(webhook.settings)?.rawValue,
                ])
        }
    }

    public func webhook(id: String, accountID: String) async throws -> Webhook? {
        let cache = webhookCache
        return try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM webhooks WHERE id = ? AND account_id = ?", arguments: [id, accountID])
                .map(cache.webhook)
        }
    }

    public func webhooks(accountID: String) async throws -> [Webhook] {
        let cache = webhookCache
        return try await pool.read { db in try Self.webhooks(accountID: accountID, cache: cache, db: db) }
    }

    static func webhooks(accountID: String, cache: SQLiteWebhookCache, db: Database) throws -> [Webhook] {
        try Row.cachedMap(db, sql: "SELECT * FROM webhooks WHERE account_id = ? ORDER BY id", arguments: [accountID], cache.webhook)
    }

    /// Saves new settings. Enabling a webhook clears why it was disabled and makes its waiting
    /// deliveries leasable again.
    public func updateWebhook(_ webhook: Webhook) async throws {
        let settings = try Self.encode(webhook.settings)
        try await write { db in try Self.writeSettings(of: webhook, encoded: settings, db: db) }
    }

    /// SQLite has one writer: the read and the write share the write transaction.
    public func changeWebhook(
        id: String, accountID: String, now: Timestamp, _ change: @escaping @Sendable (WebhookSettings) throws -> WebhookSettings
    ) async throws -> Webhook? {
        let cache = webhookCache
        return try await write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM webhooks WHERE id = ? AND account_id = ?", arguments: [id, accountID])
            else { return nil }
            var webhook = try cache.webhook(row)
            webhook.settings = try change(webhook.settings)
            webhook.updatedAt = now
            try Self.writeSettings(of: webhook, encoded: try Self.encode(webhook.settings), db: db)
            return webhook
        }
    }

    private static func writeSettings(of webhook: Webhook, encoded settings: String, db: Database) throws {
        try db.execute(
            sql: """
                UPDATE webhooks SET enabled = ?, settings = ?, max_in_flight = ?, updated_at = ?, revision = revision + 1,
                    disabled_reason = CASE WHEN ? THEN NULL ELSE disabled_reason END, rate_empty_until = NULL
                WHERE id = ? AND account_id = ?
                """,
            arguments: [
                webhook.settings.enabled, settings, webhook.settings.maxInFlight, webhook.updatedAt.millisecondsSince1970,
                webhook.settings.enabled, webhook.id, webhook.accountID,
            ])
        guard db.changesCount > 0 else { throw StoreError.notFound("webhook \(webhook.id) not found") }
        try refreshDueTime(webhookID: webhook.id, now: webhook.updatedAt, db: db)
    }

    public func rotateSecret(webhookID: String, accountID: String, now: Timestamp) async throws -> Webhook? {
        let cache = webhookCache
        return try await write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM webhooks WHERE id = ? AND account_id = ?", arguments: [webhookID, accountID])
            else { return nil }
            var webhook = try cache.webhook(row)
            webhook.secrets = webhook.secrets.rotated(now: now)
            webhook.updatedAt = now
            try db.execute(
                sql: "UPDATE webhooks SET secrets = ?, updated_at = ?, revision = revision + 1 WHERE id = ?",
                arguments: [try Self.encode(webhook.secrets), now.millisecondsSince1970, webhookID])
            return webhook
        }
    }

    public func deleteWebhook(id: String, accountID: String) async throws -> Bool {
        let deleted = try await write { db in
            try db.execute(sql: "DELETE FROM webhooks WHERE id = ? AND account_id = ?", arguments: [id, accountID])
            return db.changesCount > 0
        }
        if deleted { webhookCache.forget(id) }
        return deleted
    }

    static func health(_ row: Row) -> EndpointHealth {
        EndpointHealth(
            state: EndpointHealth.State(rawValue: row["health_state"]) ?? .healthy, consecutiveFailures: row["consecutive_failures"],
            failingSince: (row["failing_since"] as Int64?).map(Timestamp.init(millisecondsSince1970:)), lastError: row["last_error"],
            nextProbeAt: (row["next_probe_at"] as Int64?).map(Timestamp.init(millisecondsSince1970:)),
            pausedUntil: (row["paused_until"] as Int64?).map(Timestamp.init(millisecondsSince1970:)))
    }

    // MARK: Health of the store

    public func ping() async throws {
        _ = try await pool.read { db in try Int.fetchOne(db, sql: "SELECT 1") }
    }

    public func statistics(now: Timestamp) async throws -> StoreStatistics {
        try await pool.read { db in
            let ms = now.millisecondsSince1970
            let counts = try Row.fetchOne(
                db,
                // The kept count; leased rows are few (the workers' slots).
                sql: """
                    SELECT (SELECT pending FROM pending_count) AS pending,
                        (SELECT COUNT(*) FROM deliveries INDEXED BY deliveries_leased WHERE lease_owner IS NOT NULL AND status = 'pending' AND next_attempt_at > ?) AS leased
                    """,
                arguments: [ms])
            let failing = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM webhooks WHERE enabled = 1 AND health_state = 'failing'") ?? 0
            return StoreStatistics(pending: counts?["pending"] ?? 0, leased: counts?["leased"] ?? 0, failingEndpoints: failing)
        }
    }
}

extension SQLiteStore: StoredText {}
