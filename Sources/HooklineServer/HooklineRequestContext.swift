import Hummingbird
import HooklineCore
import HooklineStore

/// Per-request state: who is calling.
public struct HooklineRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Set by `AccountAuthenticator` on account routes.
    public var account: Account?
    /// Set by `SignedInUser` on the UI's pages, with the session's token.
    public var user: User?
    var sessionToken: String?

    public init(source: Source) {
        self.coreContext = .init(source: source)
    }

    /// Bodies above this are refused with 413.
    public var maxUploadSize: Int { 1024 * 1024 }

    func requireAccount() throws -> Account {
        guard let account else { throw APIError(.unauthorized, "missing or invalid API key") }
        return account
    }

    /// The calling account and the `{id}` of the path.
    func requireAccountAndID() throws -> (account: Account, id: String) {
        (try requireAccount(), try parameters.require("id"))
    }
}

/// The thing looked up, or a 404 naming it: another account's ids answer the same.
func found<Thing>(_ thing: Thing?, _ what: String, _ id: String) throws -> Thing {
    guard let thing else { throw StoreError.notFound("\(what) \(id) not found") }
    return thing
}
