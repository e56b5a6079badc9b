import HooklineCore
import PostgresNIO

extension PostgresStore {
    /// The receipts of one transaction's idempotency keys: those stored before, read with one
    /// statement once `lockInOrder` holds the keys (another process with one of them waits there
    /// until this transaction commits), and those its ingests answer, inserted with one statement
    /// before the commit. An ingest reads no key on its own, so a batch's keyed beginnings can
    /// share their statement as unkeyed ones do (`beginnings(in:from:receipts:)`).
    struct IdempotencyReceipts {
        private struct AccountKey: Hashable {
            let accountID: String
            let key: String
        }

        private struct Stored {
            let fingerprint: String
            let receipt: IngestReceipt
        }

        private var stored: [AccountKey: Stored] = [:]
        private var unwritten: [JSONValue] = []

        /// The stored receipts of `batch`'s keys; none read when no ingest has a key.
        static func read(for batch: [IngestRequest], connection: PostgresConnection, logger: Logger) async throws -> IdempotencyReceipts {
            var receipts = IdempotencyReceipts()
            let keyed = batch.compactMap { request in request.idempotencyKey.map { AccountKey(accountID: request.accountID, key: $0.key) } }
            guard !keyed.isEmpty else { return receipts }
            let rows = try await connection.rows(HotSQL.IdempotencyKeys.self, binding: keyed.map(\.accountID), keyed.map(\.key), logger: logger)
            for row in rows {
                let key = AccountKey(accountID: try row.column("account_id"), key: try row.column("key"))
                receipts.stored[key] = Stored(fingerprint: try row.column("fingerprint"), receipt: try decode(IngestReceipt.self, try row.column("receipt")))
            }
            return receipts
        }

        /// Whether `request`'s key has a receipt, stored or answered earlier in the transaction.
        func answers(_ request: IngestRequest) -> Bool {
            request.idempotencyKey.map { stored[AccountKey(accountID: request.accountID, key: $0.key)] != nil } ?? false
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
            stored[AccountKey(accountID: request.accountID, key: idempotency.key)] = Stored(fingerprint: idempotency.fingerprint, receipt: receipt)
            unwritten.append(.object(JSONObject([
                ("account_id", .string(request.accountID)), ("key", .string(idempotency.key)), ("fingerprint", .string(idempotency.fingerprint)),
                ("receipt", .string(try encode(receipt))), ("created_at", .integer(request.now.millisecondsSince1970)),
            ])))
        }

        /// Inserts the receipts answered since the last write.
        mutating func write(connection: PostgresConnection, logger: Logger) async throws {
            guard !unwritten.isEmpty else { return }
            try await connection.run(HotSQL.RememberIdempotencyKeys.self, binding: JSONValue.array(unwritten).jsonText, logger: logger)
            unwritten = []
        }
    }
}
