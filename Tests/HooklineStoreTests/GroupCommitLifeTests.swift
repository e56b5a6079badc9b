import Foundation
import HooklineCore
import HooklineTestSupport
import Testing
@testable import HooklineStore

/// One call's whole life on SQLite while, in each of its group commits, another write fails: the
/// batch is rolled back and run again with each write in a savepoint, so every step of the call
/// must come out as if it had committed alone, and the failing write leave nothing behind.
@Suite struct GroupCommitLifeTests {
    typealias F = Fixtures

    @Test func aCallsLifeComesOutWholeWhenAWriteOfEachOfItsBatchesFails() async throws {
        let directory = try TestScratch.folder("life")
        let store = try SQLiteStore(path: directory.appendingPathComponent("test.sqlite").path)
        try await store.migrate()
        let account = try await F.account(store)
        let webhook = try await F.webhook(store, account: account, triggers: [.callBegin, .callEnd, .callUpdated], body: #"{"id": "%callid%", "link": "%rec_audiourl%"}"#)
        let ingest: @Sendable (IngestCommand, Double, String?) async throws -> IngestReceipt = { command, seconds, key in
            try await store.ingest(
                IngestRequest(
                    accountID: account.id, command: command, idempotencyKey: key.map { IdempotencyKey(key: $0, fingerprint: "\(command.kind) \(command.subjectID)") },
                    now: F.t0.adding(seconds: seconds))
            ).receipt
        }
        let begin = try await ingest(.beginCall(callID: "c1", values: ["callid": "c1", "ani": "555"]), 0, "k-begin")
        // The key of the beginning, reused for another call: refused inside its transaction. (A
        // fingerprint of the whole command would vary with its dictionary's order.)
        let reusedKey: @Sendable () async throws -> IngestReceipt = { try await ingest(.beginCall(callID: "c2", values: ["callid": "c2"]), 1, "k-begin") }

        // The end and an update share a batch with the refused write between them.
        let first: [Result<IngestReceipt, any Error>] = try await Self.inOneBatch(store, [
            { @Sendable in try await ingest(.endCall(callID: "c1", values: ["dialstatus": "ANSWER"]), 30, "k-end") },
            reusedKey,
            { @Sendable in try await ingest(.updateCall(callID: "c1", values: ["rec_audiourl": "https://rec/1.mp3"]), 200, nil) },
        ])
        let end = try first[0].get()
        #expect(throws: StoreError.self) { try first[1].get() }
        let update = try first[2].get()
        #expect(end.version == 2 && update.version == 3 && update.changedFields == ["rec_audiourl"])
        #expect(try await store.call(id: "c2", accountID: account.id) == nil)

        // The call's first delivery goes; its record, the refused write and the next lease share a
        // batch: the record runs twice, the first time rolled back, and is kept once.
        let now = F.t0.adding(seconds: 300)
        let leased = try await store.leaseDueDeliveries(limit: 10, now: now, leaseUntil: now.adding(seconds: 30), owner: "w")
        #expect(leased.map(\.delivery.id) == begin.deliveryIDs)
        let second: [Result<[DeliveryJob], any Error>] = try await Self.inOneBatch(store, [
            { @Sendable in
                try await store.recordAttempts([
                    AttemptResult(deliveryID: begin.deliveryIDs[0], attempt: F.attempt(1, success: true, at: now), verdict: .delivered, renderedPayload: nil, leaseOwner: "w", now: now)
                ])
                return [DeliveryJob]()
            },
            { @Sendable in _ = try await reusedKey(); return [] },
            { @Sendable in try await store.leaseDueDeliveries(limit: 10, now: now, leaseUntil: now.adding(seconds: 30), owner: "w") },
        ])
        _ = try second[0].get()
        #expect(throws: StoreError.self) { try second[1].get() }
        // Per-call order: the end follows the beginning once that is delivered, in the same batch.
        #expect(try second[2].get().map(\.delivery.id) == end.deliveryIDs)

        var sent: [EventKind: JSONObject] = [:]
        for round in 0..<6 where sent.count < 2 {
            let at = now.adding(seconds: Double(round + 1))
            for job in try await store.leaseDueDeliveries(limit: 10, now: at, leaseUntil: at.adding(seconds: 30), owner: "w") + (round == 0 ? try second[2].get() : []) {
                sent[job.delivery.eventKind] = job.values
                try await store.recordAttempts([
                    AttemptResult(deliveryID: job.delivery.id, attempt: F.attempt(1, success: true, at: at), verdict: .delivered, renderedPayload: nil, leaseOwner: "w", now: at)
                ])
            }
        }
        #expect(sent[.callEnd]?["dialstatus"] == "ANSWER" && sent[.callEnd]?["rec_audiourl"] == nil)
        #expect(sent[.callUpdated]?["rec_audiourl"] == "https://rec/1.mp3")

        // A replay of the end, once everything went: one more attempt on the same delivery.
        let replayed = try #require(try await store.replayDelivery(id: end.deliveryIDs[0], accountID: account.id, now: now.adding(seconds: 60)))
        #expect(replayed.status == .pending)
        let again = try await store.leaseDueDeliveries(limit: 10, now: now.adding(seconds: 61), leaseUntil: now.adding(seconds: 90), owner: "w")
        #expect(again.map(\.delivery.id) == end.deliveryIDs && again.first?.values["dialstatus"] == "ANSWER")

        let deliveries = try await store.deliveries(accountID: account.id, filter: DeliveryFilter(webhookID: webhook.id), page: PageRequest()).items
        #expect(deliveries.count == 3)
        for id in begin.deliveryIDs + update.deliveryIDs {
            #expect(try await store.attempts(deliveryID: id).count == 1)
            #expect(try await store.delivery(id: id, accountID: account.id)?.status == .delivered)
        }
        let timeline = try await store.events(accountID: account.id, subject: .call, subjectID: "c1", limit: 10)
        #expect(timeline.map(\.kind) == [.callBegin, .callEnd, .callUpdated] && timeline.map(\.version) == [1, 2, 3])
        // The key still answers with the beginning's receipt.
        #expect(try await ingest(.beginCall(callID: "c1", values: ["callid": "c1", "ani": "555"]), 500, "k-begin") == begin)
    }

    /// Runs `writes` in one batch of the store's group commit, in this order: a write holds the
    /// writer until they all wait. Answers each one's outcome, in order.
    private static func inOneBatch<T: Sendable>(_ store: SQLiteStore, _ writes: [@Sendable () async throws -> T]) async throws -> [Result<T, any Error>] {
        let (holding, release) = (Flag(), Flag())
        let deadline = ContinuousClock.now + .seconds(60)
        return try await withThrowingTaskGroup(of: (Int, Result<T, any Error>)?.self) { group in
            group.addTask {
                try await store.groupCommit.write { _ in
                    holding.set()
                    while !release.isSet { usleep(1_000) }
                }
                return nil
            }
            while !holding.isSet { try await Task.sleep(for: .milliseconds(1)) }
            for (index, write) in writes.enumerated() {
                while store.groupCommit.waitingWrites < index, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(1)) }
                group.addTask {
                    do { return (index, .success(try await write())) } catch { return (index, .failure(error)) }
                }
            }
            while store.groupCommit.waitingWrites < writes.count, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(1)) }
            #expect(store.groupCommit.waitingWrites == writes.count)
            release.set()
            var outcomes: [Int: Result<T, any Error>] = [:]
            for try await outcome in group { if let (index, result) = outcome { outcomes[index] = result } }
            return writes.indices.map { outcomes[$0]! }
        }
    }
}
