import HooklineCore
import HooklineStore
import Hummingbird

/// Creating a source and giving it a new address: one way for the API and the Sources page, with
/// the same checks, messages and address.
struct SourceInput {
    let store: any Store

    /// A new source from a request body's object (`name`, `kind`, `options`), and the secret of
    /// its address, shown this once.
    func create(_ object: JSONObject, accountID: String, now: Timestamp = .now) async throws -> (source: InboundSource, secret: String) {
        let name = try DisplayName.read(object["name"] ?? .null)
        guard let kindName = object["kind"]?.stringValue else {
            throw FieldError("kind", "is required: one of \(SourceKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard let kind = SourceKind(rawValue: kindName) else {
            throw FieldError("kind", "must be one of \(SourceKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let source = InboundSource(
            id: Identifier.make("src", at: now), accountID: accountID, name: name, kind: kind, options: try InboundSource.readOptions(object["options"], kind: kind),
            createdAt: now, updatedAt: now)
        let secret = APIKey.generate(prefix: "in")
        try await store.insertSource(source, secretDigest: APIKey.digest(secret))
        return (source, secret)
    }

    /// A new address for the source; the previous one answers 404 at once.
    func rotateSecret(of source: InboundSource) async throws -> String {
        let secret = APIKey.generate(prefix: "in")
        guard try await store.rotateSourceSecret(id: source.id, accountID: source.accountID, secretDigest: APIKey.digest(secret), now: .now) else {
            throw StoreError.notFound("source \(source.id) not found")
        }
        return secret
    }

    /// Where the provider posts: the path, and the whole address as this server is reached.
    static func address(secret: String, request: Request) -> (path: String, url: String) {
        let path = "/in/\(secret)"
        return (path, (request.publicOrigin ?? "") + path)
    }
}
