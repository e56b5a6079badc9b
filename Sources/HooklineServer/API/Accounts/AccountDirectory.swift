import HooklineCore
import HooklineStore

/// Accounts and their API keys, for the API (with the admin key) and the operator's command line.
public struct AccountDirectory: Sendable {
    let store: any Store

    public init(store: any Store) {
        self.store = store
    }

    /// A new account and its API key, which is shown only now: the store keeps its digest.
    public func create(name given: String, now: Timestamp = .now) async throws -> (account: Account, key: String) {
        let name = try DisplayName.read(.string(given))
        let account = Account(id: Identifier.make("acc", at: now), name: name, createdAt: now)
        let key = APIKey.generate(prefix: APIKey.accountPrefix)
        try await store.createAccount(account, keyDigest: APIKey.digest(key))
        return (account, key)
    }
}
