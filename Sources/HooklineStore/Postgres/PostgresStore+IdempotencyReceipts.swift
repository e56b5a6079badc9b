import HooklineCore
import PostgresNIO

extension PostgresStore {
    /// The receipts of one transaction's idempotency keys: those stored before, read with one
    /// statement once the transaction holds the keys' locks (another process with one of them
    /// waits there until this transaction commits), and those its ingests answer, inserted with
    /// one statement before the commit. An ingest reads no key on its own, so a batch's keyed
    /// beginnings can share their statement as unkeyed ones do (`beginnings(in:from:receipts:)`).
    struct IdempotencyReceipts {
        /// An idempotency key in its account: keys of different accounts never meet.
        struct AccountKey: Hashable {
            let accountID: String
            let key: String

            init(accountID: String, key: String) {
                self.accountID = accountID
                self.key = key
            }

            /// The key `request` carries, if any.
            init?(_ request: IngestRequest) {
                guard let idempotency = request.idempotencyKey else { return nil }
                self.init(accountID: request.accountID, key: idempotency.key)
            }

            /// What its advisory lock is named after.
            var lockName: String { accountID + "\u{1F}" + key }
        }

        private struct Stored {
            let fingerprint: String
            let receipt: IngestReceipt
        }

        /// A receipt answered in this transaction, as its row will be written.
        private struct Answered {
            let key: AccountKey
            let fingerprint: String
            let receipt: String
            let createdAt: Int64
        }

        private var stored: [AccountKey: Stored] = [:]
        private var unwritten: [Answered] = []

        /// Takes the advisory locks of `batch`'s keys in their hash's order, so that batches with
        /// keys in common never wait for each other in a circle, then reads the receipts stored
        /// for them. Sends nothing when no ingest has a key.
        static func lockAndRead(for batch: [IngestRequest], connection: PostgresConnection, logger: Logger) async throws -> IdempotencyReceipts {
            var receipts = IdempotencyReceipts()
            let keyed = batch.compactMap(AccountKey.init)
            guard !keyed.isEmpty else { return receipts }
            try await connection.run(HotSQL.LockIdempotencyKeys.self, binding: keyed.map(\.lockName), logger: logger)
            let rows = try await connection.rows(HotSQL.IdempotencyKeys.self, binding: keyed.map(\.accountID), keyed.map(\.key), logger: logger)
            for row in rows {
                let key = AccountKey(accountID: try row.column("account_id"), key: try row.column("key"))
                receipts.stored[key] = Stored(fingerprint: try row.column("fingerprint"), receipt: try decode(IngestReceipt.self, try row.column("receipt")))
            }
            return receipts
        }

        /// Whether `request`'s key has a receipt, stored or answered earlier in the transaction.
        func answers(_ request: IngestRequest) -> Bool {
            AccountKey(request).map { stored[$0] != nil } ?? false
        }

        /// The receipt `request`'s key was answered with, if it was; a key answered for another
        /// request is refused.
        func receipt(for request: IngestRequest) throws -> IngestReceipt? {
            guard let idempotency = request.idempotencyKey, let known = stored[AccountKey(accountID: request.accountID, key: idempotency.key)] else { return nil }
            guard known.fingerprint == idempotency.fingerprint else {
                throw StoreError.idempotencyKeyReused("Idempotency-Key '\(idempotency.key)' was already used with another request")
            }
            return known.receipt
        }

        /// `request`'s answer, for its key's later uses: the transaction's own, then stored.
        mutating func remember(_ request: IngestRequest, receipt: IngestReceipt) throws {
            guard let idempotency = request.idempotencyKey else { return }
            let key = AccountKey(accountID: request.accountID, key: idempotency.key)
            stored[key] = Stored(fingerprint: idempotency.fingerprint, receipt: receipt)
            unwritten.append(
                Answered(key: key, fingerprint: idempotency.fingerprint, receipt: try encode(receipt), createdAt: request.now.millisecondsSince1970))
        }

        /// Inserts the receipts answered since the last write.
        mutating func write(connection: PostgresConnection, logger: Logger) async throws {
            guard !unwritten.isEmpty else { return }
            try await connection.run(
                HotSQL.RememberIdempotencyKeys.self, binding: unwritten.map(\.key.accountID), unwritten.map(\.key.key), unwritten.map(\.fingerprint),
                unwritten.map(\.receipt), unwritten.map(\.createdAt), logger: logger)
            unwritten = []
        }
    }
}
