import Testing
import HooklineCore
import HooklineStore

/// Ingests that arrive at once, as a busy API sends them: each stands or fails alone, whatever
/// transaction it shares (SQLite's group commit, PostgreSQL's ingest lanes), and ingests that
/// continue the same calls and leads in different orders all land.
@Suite struct IngestBatchConformanceTests {
    typealias F = Fixtures

    struct Sent: Sendable {
        let label: String
        let request: IngestRequest
    }

    func request(_ account: Account, _ command: IngestCommand, key: IdempotencyKey? = nil) -> IngestRequest {
        IngestRequest(accountID: account.id, command: command, idempotencyKey: key, now: F.t0)
    }

    /// As a sender does with a 503: an ingest the store was too busy to take (on a loaded
    /// two-core machine 37 at once on four connections may wait past the lanes' 10 s) stored
    /// nothing and is sent again; every other answer is the ingest's own.
    static func ingestRetryingWhileBusy(_ request: IngestRequest, store: any Store) async -> Result<IngestReceipt, StoreError> {
        for _ in 0..<5 {
            do {
                return .success(try await store.ingest(request).receipt)
            } catch StoreError.unavailable {
                continue
            } catch let error as StoreError {
                return .failure(error)
            } catch {
                return .failure(.conflict("not a StoreError: \(error)"))
            }
        }
        return .failure(.unavailable("too busy five times"))
    }

    @Test(arguments: StoreEngine.allCases)
    func ingestsAtOnceEachStandOrFailAlone(engine: StoreEngine) async throws {
        let store = try await engine.makeStore()
        let account = try await F.account(store)
        _ = try await F.webhook(store, account: account, triggers: [.callBegin, .callEnd, .callUpdated, .leadMessage])
        for index in 0..<8 {
            _ = try await store.ingest(request(account, .beginCall(callID: "c\(index)", values: ["callid": .string("c\(index)")])))
            _ = try await store.ingest(request(account, .createLead(leadID: "l\(index)", values: ["name": "L"])))
        }
        let firstUse = IdempotencyKey(key: "k-used", fingerprint: "first")
        let earlier = try await store.ingest(request(account, .beginCall(callID: "k0", values: [:]), key: firstUse)).receipt

        // Calls and leads continued from both ends of the list at once, so that transactions
        // sharing them meet their rows in opposite orders; new calls between; four bad requests.
        var sent: [Sent] = []
        for index in 0..<8 {
            let (call, backwards) = ("c\(index)", "c\(7 - index)")
            sent.append(Sent(label: "end \(call)", request: request(account, .endCall(callID: call, values: ["duration": 30]), key: IdempotencyKey(key: "end-\(call)", fingerprint: "e"))))
            sent.append(Sent(label: "update \(backwards)", request: request(account, .updateCall(callID: backwards, values: ["tag": .string("t\(index)")]))))
            sent.append(Sent(label: "message l\(7 - index)", request: request(account, .addMessage(leadID: "l\(7 - index)", messageID: "m\(index)", values: ["text": "hi"]))))
            sent.append(Sent(label: "begin n\(index)", request: request(account, .beginCall(callID: "n\(index)", values: [:]))))
        }
        sent.append(Sent(label: "bad: begin c3 again", request: request(account, .beginCall(callID: "c3", values: [:]))))
        sent.append(Sent(label: "bad: end of no call", request: request(account, .endCall(callID: "nobody", values: [:]))))
        sent.append(Sent(label: "bad: key reused", request: request(account, .beginCall(callID: "k1", values: [:]), key: IdempotencyKey(key: "k-used", fingerprint: "other"))))
        sent.append(Sent(label: "bad: message to no lead", request: request(account, .addMessage(leadID: "nobody", messageID: "m", values: [:]))))
        sent.append(Sent(label: "repeat of k-used", request: request(account, .beginCall(callID: "k0", values: [:]), key: firstUse)))

        let outcomes = await withTaskGroup(of: (String, Result<IngestReceipt, StoreError>).self) { group in
            for item in sent {
                group.addTask { (item.label, await Self.ingestRetryingWhileBusy(item.request, store: store)) }
            }
            return await group.reduce(into: [String: Result<IngestReceipt, StoreError>]()) { $0[$1.0] = $1.1 }
        }
        let failed = outcomes.filter { if case .failure = $0.value { true } else { false } }
        #expect(Set(failed.keys) == ["bad: begin c3 again", "bad: end of no call", "bad: key reused", "bad: message to no lead"])
        if case .failure(let error) = outcomes["bad: key reused"] { #expect(error == .idempotencyKeyReused("Idempotency-Key 'k-used' was already used with another request")) }
        if case .failure(let error) = outcomes["bad: end of no call"] { #expect(error == .notFound("call nobody not found")) }
        #expect(try outcomes["repeat of k-used"]?.get() == earlier)

        // Nothing of the bad ones was stored, and everything of the others was.
        for index in 0..<8 {
            let call = try #require(try await store.call(id: "c\(index)", accountID: account.id))
            #expect(call.endedAt != nil && call.laterValues["tag"] == .string("t\(7 - index)"))
            #expect(call.version == 3)
            #expect(try await store.lead(id: "l\(index)", accountID: account.id)?.messageCount == 1)
            #expect(try await store.call(id: "n\(index)", accountID: account.id) != nil)
        }
        #expect(try await store.call(id: "k1", accountID: account.id) == nil)
        #expect(try await store.call(id: "nobody", accountID: account.id) == nil)
        // 8 beginnings before and k0's, then per index an end, an update, a message and a beginning.
        #expect(try await store.statistics(now: F.t0).pending == 9 + 8 * 4)
    }
}
