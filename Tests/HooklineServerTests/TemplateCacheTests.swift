import Foundation
import HooklineCore
import Testing
@testable import HooklineDelivery

@Suite struct TemplateCacheTests {
    static func webhook(_ id: String, body: String = #"{"id": "%callid%"}"#) -> Webhook {
        let settings = WebhookSettings(
            name: id, url: "http://127.0.0.1:9/\(id)", template: .inline(Template(format: .json, body: body)), triggers: [.callBegin], enabled: true,
            retry: RetryPolicy(schedule: [0], maximumAge: 60))
        let now = Timestamp(millisecondsSince1970: 1_700_000_000_000)
        return Webhook(id: id, accountID: "acc", settings: settings, secrets: .generate(), createdAt: now, updatedAt: now)
    }

    @Test func aFullCacheKeepsWhatWasAskedForAgainAndDropsTheRest() throws {
        let cache = TemplateCache(capacity: 3)
        let (a, b, c, d) = (Self.webhook("a"), Self.webhook("b"), Self.webhook("c"), Self.webhook("d"))
        _ = try cache.compiled(a, for: .callBegin)
        _ = try cache.compiled(a, for: .callBegin)
        _ = try cache.compiled(b, for: .callBegin)
        _ = try cache.compiled(c, for: .callBegin)
        #expect(cache.count == 3)

        // Full: only `a` was asked for again; `b` and `c` (a deleted webhook, say) go.
        _ = try cache.compiled(d, for: .callBegin)
        #expect(cache.count == 2)
        _ = try cache.compiled(a, for: .callBegin)
        #expect(cache.count == 2)
        _ = try cache.compiled(b, for: .callBegin)
        #expect(cache.count == 3)
    }

    @Test func aChangedTemplateIsCompiledAgain() throws {
        let cache = TemplateCache()
        let values: JSONObject = ["callid": "c1"]
        let first = try cache.compiled(Self.webhook("a"), for: .callBegin).render(values)
        let changed = try cache.compiled(Self.webhook("a", body: #"{"call": "%callid%"}"#), for: .callBegin).render(values)
        #expect(String(decoding: first.body, as: UTF8.self) == #"{"id":"c1"}"#)
        #expect(String(decoding: changed.body, as: UTF8.self) == #"{"call":"c1"}"#)
        #expect(cache.count == 1)
    }
}
