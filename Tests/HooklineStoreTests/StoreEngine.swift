import Foundation
import Synchronization
import HooklineCore
import HooklineStore
import HooklineTestSupport

/// The engines the conformance suite runs against. Each test gets a store of its own.
enum StoreEngine: String, CaseIterable, Sendable {
    case sqlite
    case postgres

    func makeStore() async throws -> any Store {
        switch self {
        case .postgres:
            // A schema of its own for each store: tests run at once on one cluster.
            let location = try await TestScratch.postgresLocation()
            let store = try PostgresStore(location: location, maximumConnections: 4)
            try await store.migrate()
            return store
        case .sqlite:
            let directory = try TestScratch.folder("store")
            let store = try SQLiteStore(path: directory.appendingPathComponent("test.sqlite").path)
            try await store.migrate()
            return store
        }
    }

    /// Two stores on one database, as two processes would have.
    func makeTwoStores() async throws -> (any Store, any Store) {
        let first = try await makeStore()
        return (first, try await reopen(first))
    }

    /// Another store on the database of `store`.
    func reopen(_ store: any Store) async throws -> any Store {
        switch self {
        case .postgres:
            let first = store as! PostgresStore
            return try PostgresStore(location: first.location, maximumConnections: 4)
        case .sqlite:
            return try SQLiteStore(path: (store as! SQLiteStore).path)
        }
    }
}


/// Small builders shared by the conformance tests.
enum Fixtures {
    static let t0 = Timestamp(millisecondsSince1970: 1_700_000_000_000)

    static func account(_ store: any Store, _ name: String = "Acme") async throws -> Account {
        let account = Account(id: Identifier.make("acc", at: t0) + name, name: name, createdAt: t0)
        try await store.createAccount(account, keyDigest: APIKey.digest("key-\(account.id)"))
        return account
    }

    static func webhook(
        _ store: any Store, account: Account, triggers: [EventKind] = [.callBegin, .callEnd], enabled: Bool = true,
        retry: RetryPolicy = RetryPolicy(schedule: [0, 10], maximumAge: 100), body: String = #"{"id": "%callid%", "d": "%answered_time%"}"#,
        maxInFlight: Int = WebhookSettings.defaultMaxInFlight
    ) async throws -> Webhook {
        let settings = WebhookSettings(
            name: "hook", url: "http://127.0.0.1:9/hook", template: .inline(Template(format: .json, body: body)), triggers: triggers,
            enabled: enabled, retry: retry, maxInFlight: maxInFlight)
        let webhook = Webhook(id: Identifier.make("wh", at: t0), accountID: account.id, settings: settings, secrets: .generate(), createdAt: t0, updatedAt: t0)
        try await store.insertWebhook(webhook)
        return webhook
    }

    static func begin(_ store: any Store, account: Account, call: String, at time: Timestamp = t0, key: IdempotencyKey? = nil) async throws -> IngestReceipt {
        try await store.ingest(
            IngestRequest(accountID: account.id, command: .beginCall(callID: call, values: ["callid": .string(call), "ani": "777"]), idempotencyKey: key, now: time)).receipt
    }

    static func end(_ store: any Store, account: Account, call: String, at time: Timestamp = t0) async throws -> IngestReceipt {
        try await store.ingest(
            IngestRequest(accountID: account.id, command: .endCall(callID: call, values: ["dialstatus": "ANSWER", "answered_time": 29]), idempotencyKey: nil, now: time)).receipt
    }

    /// Runs `count` writes at once, each in a task of its own; answers how many threw.
    static func failures(of count: Int, _ write: @escaping @Sendable (Int) async throws -> Void) async -> Int {
        await withTaskGroup(of: Bool.self) { group in
            for index in 0..<count {
                group.addTask {
                    do {
                        try await write(index)
                        return false
                    } catch {
                        return true
                    }
                }
            }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
    }

    static func attempt(_ number: Int, success: Bool, at time: Timestamp = t0) -> Attempt {
        Attempt(
            number: number, startedAt: time, durationMilliseconds: 3,
            request: RecordedRequest(method: "POST", url: "http://127.0.0.1:9/hook", headers: [HeaderField(name: "Authorization", value: "[redacted]")], body: "{}"),
            response: RecordedResponse(status: success ? 200 : 500, headers: [], body: success ? "ok" : "boom", bodyTruncated: false),
            errorKind: success ? nil : .status, errorMessage: success ? nil : "HTTP 500 is not a success code")
    }
}

extension Store {
    /// The worker's lease, with an offer of `limit` slots.
    func leaseDueDeliveries(
        limit: Int, now: Timestamp, leaseUntil: Timestamp, owner: String, answered: TestAnswered = TestAnswered()
    ) async throws -> [DeliveryJob] {
        try await leaseDueDeliveries(to: TestOffer(slots: limit, owner: owner, leaseUntil: leaseUntil, answered: answered), now: now)
    }
}

/// What a worker's answered attempts are to the store: counted out of their webhooks' in-flight
/// requests until their records are being written.
final class TestAnswered: Sendable {
    private let webhookByDelivery = Mutex<[String: String]>([:])

    func add(deliveryID: String, webhookID: String) {
        webhookByDelivery.withLock { $0[deliveryID] = webhookID }
    }

    func remove(deliveryIDs: [String]) {
        webhookByDelivery.withLock { map in for id in deliveryIDs { map[id] = nil } }
    }

    func count(webhookID: String) -> Int {
        webhookByDelivery.withLock { $0.values.filter { $0 == webhookID }.count }
    }
}

/// A worker's offer as the store sees it: `slots` to claim, and its answered attempts.
final class TestOffer: LeaseOffer {
    let owner: String
    let leaseUntil: Timestamp
    let answered: TestAnswered
    let slots: Int
    private let claims = Mutex(0)

    init(slots: Int, owner: String, leaseUntil: Timestamp, answered: TestAnswered = TestAnswered()) {
        self.slots = slots
        self.owner = owner
        self.leaseUntil = leaseUntil
        self.answered = answered
    }

    func claim() -> Bool {
        claims.withLock { claimed in
            guard claimed < slots else { return false }
            claimed += 1
            return true
        }
    }

    var claimed: Int { claims.withLock { $0 } }

    func requestsInFlight(leasedRows: Int, webhookID: String) -> Int {
        max(0, leasedRows - answered.count(webhookID: webhookID))
    }

    func recording(deliveryIDs: [String]) {
        answered.remove(deliveryIDs: deliveryIDs)
    }
}
