import Foundation
import GRDB
import HooklineCore
@testable import HooklineStore
import PostgresNIO
import Testing

private typealias F = Fixtures

/// What the operations every process runs all the time cost with a large backlog: a heartbeat
/// (with its due-time sweep), a metrics scrape and recording an attempt must cost the same with a
/// million pending deliveries as with a thousand (within 2×). Filling a million rows takes a
/// minute, so this runs when `HOOKLINE_BACKLOG_ROWS` says how many (under `scripts/with-postgres`:
/// `HOOKLINE_BACKLOG_ROWS=1000000 swift test --filter BacklogCostTests`).
/// The webhooks list counts each webhook's queue, so it grows with the backlog: its cost is
/// printed, and its counts checked.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["HOOKLINE_BACKLOG_ROWS"] != nil), .serialized)
struct BacklogCostTests {
    static let rows = Int(ProcessInfo.processInfo.environment["HOOKLINE_BACKLOG_ROWS"] ?? "") ?? 1_000_000
    static let small = 1_000

    struct Costs: CustomStringConvertible {
        var heartbeat: Duration
        var scrape: Duration
        var record: Duration
        var webhooksList: Duration
        var description: String {
            "heartbeat \(Self.ms(heartbeat)), scrape \(Self.ms(scrape)), attempt record \(Self.ms(record)), webhooks list \(Self.ms(webhooksList))"
        }
        static func ms(_ duration: Duration) -> String { String(format: "%.2f ms", Double(duration.components.attoseconds) / 1e15 + Double(duration.components.seconds) * 1000) }
    }

    /// Median of `runs` timings.
    static func median(_ runs: Int = 15, _ work: () async throws -> Void) async throws -> Duration {
        var times: [Duration] = []
        for _ in 0..<runs {
            let start = ContinuousClock.now
            try await work()
            times.append(ContinuousClock.now - start)
        }
        return times.sorted()[runs / 2]
    }

    /// Copies of `template` (a pending delivery of the backlog webhook) until `total` exist, each
    /// its own call, scheduled over the next day, as a receiver down for a while leaves them.
    static func fill(_ store: any Store, template: String, from start: Int, to total: Int) async throws {
        let copy = """
            INSERT INTO deliveries (id, account_id, webhook_id, event_id, event_kind, subject_kind, subject_id, status, attempt_count,
                schedule_attempts, schedule_started_at, next_attempt_at, payload, content_type, created_at, updated_at)
            SELECT 'dlv_bulk_' || g, account_id, webhook_id, event_id, event_kind, subject_kind, 'bulk' || g, 'pending', 1, 1,
                schedule_started_at, next_attempt_at + 3600000 + g, payload, content_type, created_at, updated_at
            """
        switch store {
        case let postgres as PostgresStore:
            // In chunks: a statement with no answer for 15 s counts as a lost connection.
            for chunk in stride(from: start, through: total, by: 50_000) {
                let last = min(total, chunk + 49_999)
                _ = try await postgres.transaction { connection in
                    try await connection.query(
                        PostgresQuery(unsafeSQL: copy + " FROM deliveries, generate_series(\(chunk), \(last)) g WHERE id = '\(template)'"), logger: postgres.logger)
                }
            }
            _ = try await postgres.transaction { connection in try await connection.query("ANALYZE deliveries", logger: postgres.logger) }
        case let sqlite as SQLiteStore:
            // SQLiteStore's deliveries carry no subject_kind column.
            let sql = copy.replacingOccurrences(of: "subject_kind, subject_id", with: "subject_id").replacingOccurrences(of: "subject_kind, 'bulk'", with: "'bulk'")
            try await sqlite.write { db in
                try db.execute(
                    sql: "WITH RECURSIVE s(g) AS (SELECT \(start) UNION ALL SELECT g + 1 FROM s WHERE g < \(total)) " + sql + " FROM deliveries, s WHERE id = ?",
                    arguments: [template])
                try db.execute(sql: "ANALYZE")
            }
        default:
            Issue.record("unknown engine")
        }
    }

    static func measure(_ store: any Store, account: Account, live: Webhook, round: Int) async throws -> Costs {
        let heartbeat = try await median {
            try await store.heartbeat(owner: "w", now: .now)
            _ = try await store.releaseLeasesOfSilentWorkers(silentBefore: Timestamp.now.adding(seconds: -15), now: .now)
            try await store.sweepLateDueTimes(now: .now)
            try await store.foldPendingCount()
        }
        let scrape = try await median { _ = try await store.statistics(now: .now) }
        let webhooksList = try await median { _ = try await store.webhookQueues(accountID: account.id) }
        var records: [Duration] = []
        for index in 0..<15 {
            let call = "live-\(round)-\(index)"
            _ = try await F.begin(store, account: account, call: call, at: .now)
            let jobs = try await store.leaseDueDeliveries(limit: 100, now: .now, leaseUntil: Timestamp.now.adding(seconds: 60), owner: "w")
            let job = try #require(jobs.first { $0.delivery.subjectID == call }, "the live webhook's delivery is leased")
            let start = ContinuousClock.now
            try await store.recordAttempts([
                AttemptResult(deliveryID: job.delivery.id, attempt: F.attempt(1, success: true, at: .now), verdict: .delivered, renderedPayload: nil, now: .now)
            ])
            records.append(ContinuousClock.now - start)
        }
        return Costs(heartbeat: heartbeat, scrape: scrape, record: records.sorted()[records.count / 2], webhooksList: webhooksList)
    }

    @Test(arguments: StoreEngine.allCases)
    func heartbeatsScrapesAndRecordsCostTheSameWithAMillionPending(engine: StoreEngine) async throws {
        let store = try await engine.makeStore()
        let account = try await F.account(store)
        // The backlog's webhook sends on a call's end only; the live one on its begin.
        let backlog = try await F.webhook(store, account: account, triggers: [.callEnd])
        let live = try await F.webhook(store, account: account, triggers: [.callBegin])
        _ = try await F.begin(store, account: account, call: "seed", at: .now)
        let template = try #require(try await F.end(store, account: account, call: "seed", at: .now).deliveryIDs.first)
        try await Self.fill(store, template: template, from: 1, to: Self.small)
        let before = try await Self.measure(store, account: account, live: live, round: 0)
        let filling = ContinuousClock.now
        try await Self.fill(store, template: template, from: Self.small + 1, to: Self.rows)
        print("\(engine): filled \(Self.rows) pending deliveries in \(ContinuousClock.now - filling)")
        let after = try await Self.measure(store, account: account, live: live, round: 1)
        print("\(engine): with \(Self.small) pending: \(before)")
        print("\(engine): with \(Self.rows) pending: \(after)")
        // The copies wait; the seed's two deliveries were leased by the first round, never recorded.
        let queues = try await store.webhookQueues(accountID: account.id)
        #expect(queues[backlog.id].map { [$0.waiting, $0.inFlight, $0.held] } == [Self.rows, 1, 0])
        #expect(queues[live.id].map { [$0.waiting, $0.inFlight, $0.held] } == [0, 1, 0])
        let slack = Duration.milliseconds(2)
        #expect(after.heartbeat <= before.heartbeat * 2 + slack, "heartbeat: \(before) → \(after)")
        #expect(after.scrape <= before.scrape * 2 + slack, "scrape: \(before) → \(after)")
        #expect(after.record <= before.record * 2 + slack, "attempt record: \(before) → \(after)")
    }
}
