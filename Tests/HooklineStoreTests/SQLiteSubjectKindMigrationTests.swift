import Foundation
import GRDB
import Testing
@testable import HooklineStore

/// A database from before deliveries said their subject's kind: the upgrade derives it from each
/// delivery's event, so per-call order and captures keep telling a call from a lead of the same id.
@Suite struct SQLiteSubjectKindMigrationTests {
    @Test func theUpgradeGivesEveryDeliveryItsSubjectsKind() throws {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = false
        let queue = try DatabaseQueue(configuration: configuration)
        try SQLiteSchema.migrator.migrate(queue, upTo: "12-placements")
        try queue.write { db in
            for (id, kind) in [("d1", "call.begin"), ("d2", "call.end"), ("d3", "lead.created"), ("d4", "lead.message")] {
                try db.execute(
                    sql: """
                        INSERT INTO deliveries (id, account_id, webhook_id, event_id, event_kind, subject_id, status, schedule_started_at, created_at, updated_at)
                        VALUES (?, 'acc', 'wh', 'evt', ?, 'same-id', 'pending', 0, 0, 0)
                        """,
                    arguments: [id, kind])
            }
        }
        try SQLiteSchema.migrator.migrate(queue)
        let kinds = try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT id, subject_kind FROM deliveries ORDER BY id").map { "\($0["id"] as String) \($0["subject_kind"] as String)" }
        }
        #expect(kinds == ["d1 call", "d2 call", "d3 lead", "d4 lead"])
        let plan = try queue.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + SQLiteStore.pendingOfSubject, arguments: ["wh", "same-id", "lead"]).map { $0["detail"] as String }
        }
        #expect(plan.contains { $0.contains("deliveries_order") && $0.contains("subject_kind") }, "\(plan)")
    }
}
