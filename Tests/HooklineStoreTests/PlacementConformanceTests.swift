import Foundation
import GRDB
import HooklineCore
import HooklineTestSupport
import PostgresNIO
import Testing
@testable import HooklineStore

private typealias F = Fixtures

/// Placements on every engine: changed atomically, kept per account, matched at ingest, and the
/// old list scopes of a deployed database turned into placements that send the same.
@Suite struct PlacementConformanceTests {
    static func campaign(_ store: any Store, _ account: Account, _ id: String, number: String) async throws {
        try await store.insertCampaign(Campaign(
            id: id, accountID: account.id, name: id, kind: .offline, tags: [:], locationID: nil, trackingNumbers: [number], createdAt: F.t0, updatedAt: F.t0))
    }

    static func placement(_ campaign: String, _ moment: CallMoment) -> Placement {
        Placement(place: Place(.campaign(campaign)), moment: moment)
    }

    @Test(arguments: StoreEngine.allCases)
    func placementsAreCreatedListedRemovedAndKeptPerAccount(engine: StoreEngine) async throws {
        let store = try await engine.makeStore()
        let (account, other) = (try await F.account(store), try await F.account(store, "Other"))
        let webhook = try await F.webhook(store, account: account, triggers: [.callEnd])
        let placed = try #require(try await store.changeWebhook(id: webhook.id, accountID: account.id, now: F.t0) { try $0.placing(Self.placement("radio", .beginning)) })
        #expect(placed.settings.scope == .placements([Self.placement("radio", .beginning)]) && placed.settings.triggers == [.callEnd, .callBegin])
        #expect(try await store.webhook(id: webhook.id, accountID: account.id)?.settings == placed.settings)
        #expect(try await store.webhooks(accountID: account.id).first?.settings.placements(at: .campaign("radio")) == [Self.placement("radio", .beginning)])
        // Another account's key reaches nothing and changes nothing.
        #expect(try await store.changeWebhook(id: webhook.id, accountID: other.id, now: F.t0) { $0.removingPlacements(at: .campaign("radio")) } == nil)
        #expect(try await store.webhook(id: webhook.id, accountID: account.id)?.settings.scope.placements.count == 1)
        let removed = try #require(try await store.changeWebhook(id: webhook.id, accountID: account.id, now: F.t0) { $0.removingPlacements(at: .campaign("radio")) })
        #expect(removed.settings.scope == .placements([]))
        #expect(try await store.webhook(id: webhook.id, accountID: account.id)?.settings.scope == .placements([]))
    }

    /// Changes of one webhook wait for each other on its row, and those beyond a pool's four
    /// connections wait for a connection behind them. Six per store still queue for a connection, and
    /// the last one's wait stays well inside the store's 10 s on a loaded machine (twelve per store
    /// reached it once in CI).
    @Test(arguments: StoreEngine.allCases)
    func placementsMadeAtOnceAllLand(engine: StoreEngine) async throws {
        let (first, second) = try await engine.makeTwoStores()
        let account = try await F.account(first)
        let webhook = try await F.webhook(first, account: account)
        let changes = 12
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<changes {
                let store = index.isMultiple(of: 2) ? first : second
                group.addTask {
                    _ = try await store.changeWebhook(id: webhook.id, accountID: account.id, now: F.t0) { try $0.placing(Self.placement("c\(index)", .end)) }
                }
            }
            try await group.waitForAll()
        }
        let placements = try #require(try await first.webhook(id: webhook.id, accountID: account.id)).settings.scope.placements
        #expect(Set(placements) == Set((0..<changes).map { Self.placement("c\($0)", .end) }))
    }

    @Test(arguments: StoreEngine.allCases)
    func aCallIsSentAtTheMomentsOfItsCampaignsPlacements(engine: StoreEngine) async throws {
        let store = try await engine.makeStore()
        let account = try await F.account(store)
        try await Self.campaign(store, account, "radio", number: "7770000001")
        try await Self.campaign(store, account, "tv", number: "7770000002")
        try await Self.campaign(store, account, "print", number: "7770000003")
        let webhook = try await F.webhook(store, account: account)
        _ = try await store.changeWebhook(id: webhook.id, accountID: account.id, now: F.t0) {
            try $0.placing(Self.placement("radio", .beginning)).placing(Self.placement("tv", .end))
        }
        for (call, number) in [("c-radio", "7770000001"), ("c-tv", "7770000002"), ("c-print", "7770000003"), ("c-none", "7779999999")] {
            _ = try await store.ingest(IngestRequest(
                accountID: account.id, command: .beginCall(callID: call, values: ["callid": .string(call), "tracking": .string(number)]), idempotencyKey: nil, now: F.t0))
            _ = try await store.ingest(IngestRequest(accountID: account.id, command: .endCall(callID: call, values: ["dialstatus": "ANSWER"]), idempotencyKey: nil, now: F.t0))
        }
        let sent = try await store.deliveries(accountID: account.id, filter: DeliveryFilter(), page: PageRequest()).items
        #expect(Set(sent.map { "\($0.subjectID) \($0.eventKind.rawValue)" }) == ["c-radio call.begin", "c-tv call.end"])
        #expect(sent.count == 2)
    }

    @Test(arguments: StoreEngine.allCases)
    func anUpgradeTurnsListScopesIntoPlacementsThatSendTheSame(engine: StoreEngine) async throws {
        let store = try await engine.makeStore()
        let account = try await F.account(store)
        try await Self.campaign(store, account, "radio", number: "7770000001")
        try await Self.campaign(store, account, "tv", number: "7770000002")
        let everywhere = try await F.webhook(store, account: account)
        let radio = try await F.webhook(store, account: account, triggers: [.callEnd])
        // As the version before placements stored them: lists, every set one had to match.
        let old = [
            everywhere.id: #"{"campaigns": [], "dniCampaigns": [], "locations": [], "treatments": []}"#,
            radio.id: #"{"campaigns": ["radio"], "dniCampaigns": [], "locations": [], "treatments": [{"question": "Department", "response": "Sales"}]}"#,
        ]
        try await Self.rewind(store, engine: engine, scopes: old)
        try await store.migrate()
        let migrated = try await store.webhook(id: radio.id, accountID: account.id)
        #expect(migrated?.settings.scope == .placements([Placement(place: Place(campaign: "radio", treatment: TreatmentOption(question: "Department", response: "Sales"))!, moment: .end)]))
        #expect(try await store.webhook(id: everywhere.id, accountID: account.id)?.settings.scope == .all)
        let sales: JSONObject = ["prompt_responses": [["question": "Department", "response": "Sales"]]]
        for (call, number, values) in [("radio-sales", "7770000001", sales), ("radio-other", "7770000001", [:]), ("tv-sales", "7770000002", sales)] {
            _ = try await store.ingest(IngestRequest(
                accountID: account.id, command: .beginCall(callID: call, values: ["callid": .string(call), "tracking": .string(number)]), idempotencyKey: nil, now: F.t0))
            _ = try await store.ingest(IngestRequest(accountID: account.id, command: .endCall(callID: call, values: values), idempotencyKey: nil, now: F.t0))
        }
        let sent = try await store.deliveries(accountID: account.id, filter: DeliveryFilter(webhookID: radio.id), page: PageRequest()).items
        #expect(sent.map { "\($0.subjectID) \($0.eventKind.rawValue)" } == ["radio-sales call.end"])
        #expect(try await store.deliveries(accountID: account.id, filter: DeliveryFilter(webhookID: everywhere.id), page: PageRequest()).items.count == 6)
    }

    /// Puts old scopes back and forgets the placements migration, as a database of the version
    /// before it would be.
    static func oldSettings(_ settings: String, scope: String) throws -> String {
        guard case .object(var document) = try JSONParser.parse(settings) else { throw TestScratch.SetupError("settings are not an object") }
        document["scope"] = try JSONParser.parse(scope)
        return document.jsonText
    }

    static func rewind(_ store: any Store, engine: StoreEngine, scopes: [String: String]) async throws {
        switch engine {
        case .sqlite:
            try await (store as! SQLiteStore).pool.write { db in
                for (id, scope) in scopes {
                    let settings = try String.fetchOne(db, sql: "SELECT settings FROM webhooks WHERE id = ?", arguments: [id]) ?? ""
                    try db.execute(sql: "UPDATE webhooks SET settings = ? WHERE id = ?", arguments: [try Self.oldSettings(settings, scope: scope), id])
                }
                try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = '12-placements'")
            }
        case .postgres:
            let postgres = store as! PostgresStore
            try await postgres.transaction { connection in
                for (id, scope) in scopes {
                    let rows = try await connection.query("SELECT settings FROM webhooks WHERE id = \(id)", logger: postgres.logger).decode(String.self)
                    var settings = ""
                    for try await text in rows { settings = text }
                    try await connection.query("UPDATE webhooks SET settings = \(try Self.oldSettings(settings, scope: scope)) WHERE id = \(id)", logger: postgres.logger)
                }
                try await connection.query("DELETE FROM hookline_migrations WHERE version = 10", logger: postgres.logger)
            }
        }
    }
}

/// A due time an ingest left late (on PostgreSQL, a webhook another transaction held) is found by
/// the heartbeat's sweep, so its delivery is not left waiting for the next poll.
@Suite struct LateDueTimeSweepTests {
    @Test func theSweepMovesALateDueTimeToTheEarliestDelivery() async throws {
        let store = try await StoreEngine.postgres.makeStore() as! PostgresStore
        let account = try await F.account(store)
        _ = try await F.webhook(store, account: account)
        _ = try await F.begin(store, account: account, call: "late", at: F.t0)
        _ = try await store.transaction { connection in try await connection.query("UPDATE webhooks SET next_due_at = NULL", logger: store.logger) }
        #expect(try await store.nextDueTime() == nil)
        try await store.sweepLateDueTimes(now: F.t0)
        #expect(try await store.nextDueTime() == F.t0)
    }
}
