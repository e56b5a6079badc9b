import Foundation
import GRDB
import HooklineCore

/// The embedded engine: one SQLite file in WAL mode, through GRDB. Writes are serialized by SQLite
/// itself; reads run concurrently.
public final class SQLiteStore: Store {
    let pool: DatabasePool

    public init(path: String) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            // FULL: an accepted event survives a power cut, not only a crash.
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        pool = try DatabasePool(path: path, configuration: configuration)
    }

    public func migrate() async throws {
        try SQLiteSchema.migrator.migrate(pool)
    }

    // MARK: Settings and accounts

    public func setting(_ key: String) async throws -> String? {
        try await pool.read { db in
            try String.fetchOne(db, sql: "SELECT value FROM settings WHERE key = ?", arguments: [key])
        }
    }

    public func insertSettingIfAbsent(_ key: String, value: String) async throws -> String {
        try await pool.write { db in
            try db.execute(sql: "INSERT OR IGNORE INTO settings (key, value) VALUES (?, ?)", arguments: [key, value])
            return try String.fetchOne(db, sql: "SELECT value FROM settings WHERE key = ?", arguments: [key]) ?? value
        }
    }

    public func createAccount(_ account: Account, keyDigest: String) async throws {
        try await pool.write { db in
            try db.execute(
                sql: "INSERT INTO accounts (id, name, key_digest, created_at) VALUES (?, ?, ?, ?)",
                arguments: [account.id, account.name, keyDigest, account.createdAt.millisecondsSince1970])
        }
    }

    public func account(keyDigest: String) async throws -> Account? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT id, name, created_at FROM accounts WHERE key_digest = ?", arguments: [keyDigest])
                .map(Self.account)
        }
    }

    public func accounts() async throws -> [Account] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT id, name, created_at FROM accounts ORDER BY id").map(Self.account)
        }
    }

    static func account(_ row: Row) -> Account {
        Account(id: row["id"], name: row["name"], createdAt: Timestamp(millisecondsSince1970: row["created_at"]))
    }

    // MARK: Webhooks

    public func insertWebhook(_ webhook: Webhook) async throws {
        let settings = try Self.encode(webhook.settings)
        try await pool.write { db in
            try db.execute(
                sql: "INSERT INTO webhooks (id, account_id, enabled, settings, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [
                    webhook.id, webhook.accountID, webhook.settings.enabled, settings,
                    webhook.createdAt.millisecondsSince1970, webhook.updatedAt.millisecondsSince1970,
                ])
        }
    }

    public func webhook(id: String, accountID: String) async throws -> Webhook? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM webhooks WHERE id = ? AND account_id = ?", arguments: [id, accountID])
                .map(Self.webhook)
        }
    }

    public func webhooks(accountID: String) async throws -> [Webhook] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM webhooks WHERE account_id = ? ORDER BY id", arguments: [accountID])
                .map(Self.webhook)
        }
    }

    public func updateWebhook(_ webhook: Webhook) async throws {
        let settings = try Self.encode(webhook.settings)
        try await pool.write { db in
            try db.execute(
                sql: "UPDATE webhooks SET enabled = ?, settings = ?, updated_at = ? WHERE id = ? AND account_id = ?",
                arguments: [webhook.settings.enabled, settings, webhook.updatedAt.millisecondsSince1970, webhook.id, webhook.accountID])
            guard db.changesCount > 0 else { throw StoreError.notFound("webhook \(webhook.id) not found") }
        }
    }

    public func deleteWebhook(id: String, accountID: String) async throws -> Bool {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM webhooks WHERE id = ? AND account_id = ?", arguments: [id, accountID])
            return db.changesCount > 0
        }
    }

    static func webhook(_ row: Row) throws -> Webhook {
        Webhook(
            id: row["id"], accountID: row["account_id"], settings: try decode(WebhookSettings.self, row["settings"]),
            createdAt: Timestamp(millisecondsSince1970: row["created_at"]),
            updatedAt: Timestamp(millisecondsSince1970: row["updated_at"]))
    }

    // MARK: Coding

    static func encode(_ value: some Encodable) throws -> String {
        String(decoding: try JSONEncoder().encode(value), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(text.utf8))
    }

    static func object(_ text: String) throws -> JSONObject {
        guard let object = try JSONParser.parse(text).objectValue else {
            throw StoreError.conflict("stored token values are not an object")
        }
        return object
    }
}
