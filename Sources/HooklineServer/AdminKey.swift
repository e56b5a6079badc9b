import HooklineCore
import HooklineStore
import Logging

/// The admin key: the operator's own (`HOOKLINE_ADMIN_KEY`), or one generated at first start,
/// printed once and kept only as a digest.
enum AdminKey {
    static let settingName = "admin_key_digest"

    /// The digest requests are checked against, and the new key when this start generated it.
    static func resolve(configured: String?, store: any Store) async throws -> (digest: String, generatedKey: String?) {
        if let configured { return (APIKey.digest(configured), nil) }
        if let digest = try await store.setting(settingName) { return (digest, nil) }
        let key = APIKey.generate(prefix: APIKey.adminPrefix)
        let digest = APIKey.digest(key)
        let kept = try await store.insertSettingIfAbsent(settingName, value: digest)
        return (kept, kept == digest ? key : nil)
    }
}
