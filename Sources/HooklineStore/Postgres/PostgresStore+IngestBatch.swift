import Foundation
import HooklineCore
import PostgresNIO

/// Ingests that arrived together, in one transaction (`IngestLanes`).
extension PostgresStore {
    /// Ingest transactions one process runs at once: one per core, at most a quarter of its pool
    /// (records, leases and the API's reads keep the rest). More lanes make smaller batches: on 2
    /// cores a burst of 5,000 cost 1,294–1,914 µs per event (Hookline and postgres) with two lanes,
    /// 1,562–2,060 with four and 1,964–2,132 with eight.
    static func ingestLanes(maximumConnections: Int) -> Int {
        max(1, min(ProcessInfo.processInfo.activeProcessorCount, maximumConnections / 4))
    }

    /// A batch's ingests hold their webhooks' rows until its commit, so a record of those
    /// webhooks waits for all of them.
    static let largestIngestBatch = 32

    /// An ingest's answer, and the due times its caller moves once the lane is free: those of the
    /// webhooks another transaction held when it wrote (`advanceLate`), each the earliest its
    /// deliveries need.
    struct Ingested: Sendable {
        var result: IngestResult
        var lateDueTimes: EarliestDueTimes
    }

    /// A batch made by its caller (the tests make them by hand), run as a lane runs one and then
    /// answered as `ingest(_:)` answers each: once the webhooks its ingests found held are due.
    func ingest(batch: [IngestRequest]) async -> [Result<IngestResult, any Error>] {
        let outcomes = await ingestInLane(batch: batch)
        let late = outcomes.compactMap { try? $0.get().lateDueTimes }.reduce(into: EarliestDueTimes()) { $0.add($1) }
        await advanceLate(late)
        return outcomes.map { $0.map(\.result) }
    }

    /// The batch's ingests one after another in one transaction, in their order of arrival (a
    /// call's end after its beginning). An ingest the store refuses (a call it does not know, a
    /// reused key) is answered its refusal and the batch runs again without it: what it was
    /// refused against, the batch's earlier ingests, is what the commit holds before it, so its
    /// answer is the one it would have had alone. Any other failure rolls the batch back and each
    /// ingest runs again alone, so that only the failing one's caller hears of it; an unreachable
    /// or full database fails them all.
    ///
    /// Answers without moving the due times of the webhooks another transaction held, which waits
    /// for their rows (a record holds one for tens of milliseconds under load): the lane runs its
    /// next batch meanwhile.
    func ingestInLane(batch: [IngestRequest]) async -> [Result<Ingested, any Error>] {
        var outcomes: [Result<Ingested, any Error>?] = Array(repeating: nil, count: batch.count)
        var left = Array(batch.indices)
        while !left.isEmpty {
            do {
                for (index, result) in zip(left, try await ingestTogether(left.map { batch[$0] })) { outcomes[index] = .success(result) }
                left = []
            } catch let refused as Refused {
                outcomes[left[refused.index]] = .failure(refused.error)
                left.remove(at: refused.index)
            } catch where left.count > 1 && !Self.failsEveryIngest(error) {
                for (index, outcome) in zip(left, await runAlone(left.map { batch[$0] })) { outcomes[index] = outcome }
                left = []
            } catch {
                for index in left { outcomes[index] = .failure(error) }
                left = []
            }
        }
        return outcomes.map { $0! }
    }

    /// The ingest at `index` of a batch was refused for what it asked, not for the database.
    private struct Refused: Error {
        let index: Int
        let error: StoreError
    }

    private func ingestTogether(_ batch: [IngestRequest]) async throws -> [Ingested] {
        let cache = webhookCache
        let locks = WebhookLocks.Taken(in: webhookLocks)
        defer { locks.release() }
        return try await transaction { [logger] connection in
            var writes = IngestWrites()
            writes.receipts = try await Self.lockInOrder(batch, connection: connection, logger: logger)
            var written: [Ingested] = []
            var begun: [Int: InsertedEvent] = [:]
            for (index, request) in batch.enumerated() {
                do {
                    if begun[index] == nil, case let run = Self.beginnings(in: batch, from: index, receipts: writes.receipts), run.count > 1 {
                        for (beginning, event) in zip(run, try await Self.begin(run, connection: connection, logger: logger)) { begun[beginning.index] = event }
                    }
                    written.append(
                        try await Self.ingest(request, begun: begun[index], cache: cache, locks: locks, writes: &writes, connection: connection, logger: logger))
                } catch let refused as BeginningRefused {
                    throw Refused(index: refused.index, error: refused.error)
                } catch let error as StoreError where batch.count > 1 && error.refusesTheRequest {
                    throw Refused(index: index, error: error)
                }
            }
            try await writes.write(connection: connection, logger: logger)
            try await writes.receipts.write(connection: connection, logger: logger)
            return written
        }
    }

    private func runAlone(_ batch: [IngestRequest]) async -> [Result<Ingested, any Error>] {
        var outcomes: [Result<Ingested, any Error>] = []
        for request in batch {
            do { outcomes.append(.success(try await ingestTogether([request])[0])) } catch { outcomes.append(.failure(error)) }
        }
        return outcomes
    }

    private static func failsEveryIngest(_ error: any Error) -> Bool {
        (error as? StoreError).map { !$0.refusesTheRequest } ?? false
    }

    /// Before any of a batch's ingests writes: its idempotency keys' advisory locks in their
    /// hash's order, with their stored receipts (`IdempotencyReceipts.lockAndRead`), then the rows
    /// of the calls and leads it continues (`SubjectLocks`). A batch
    /// that took them ingest by ingest could wait for a row another batch holds while holding one
    /// that batch waits for; a lone ingest takes its key's lock here and its subject's row as it
    /// reads it. Its beginnings' rows are new and webhooks are only tried (`SKIP LOCKED`); what
    /// else it may wait for is a held delivery of a call it continues, which the release of an
    /// expired hold can hold while it waits for a webhook the batch locked: PostgreSQL ends that
    /// circle (`deadlock_timeout`, 1 s) and `transaction` runs the batch again.
    static func lockInOrder(_ batch: [IngestRequest], connection: PostgresConnection, logger: Logger) async throws -> IdempotencyReceipts {
        let receipts = try await IdempotencyReceipts.lockAndRead(for: batch, connection: connection, logger: logger)
        guard batch.count > 1 else { return receipts }
        let continued = batch.filter { !$0.command.kind.createsSubject }
        try await SubjectLocks.lock(
            continued.map { SubjectRow(kind: $0.command.kind.subject, accountID: $0.accountID, id: $0.command.subjectID) }, connection: connection, logger: logger)
        return receipts
    }
}
