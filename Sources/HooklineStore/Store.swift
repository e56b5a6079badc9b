import HooklineCore

/// Everything Hookline keeps. One implementation per database engine, each using its engine
/// natively; `StoreConformance` tests hold every implementation to the same behaviour.
///
/// Every read and change of an account's data takes the account id, and answers `nil` or
/// `StoreError.notFound` for another account's ids, so one account never sees another's data.
public protocol Store: Sendable {
    /// Creates or upgrades the schema.
    func migrate() async throws

    // MARK: Settings and accounts
    func setting(_ key: String) async throws -> String?
    /// Stores `value` unless the key has one already; returns the value in force.
    func insertSettingIfAbsent(_ key: String, value: String) async throws -> String
    func createAccount(_ account: Account, keyDigest: String) async throws
    func account(keyDigest: String) async throws -> Account?
    func accounts() async throws -> [Account]

    // MARK: Webhooks
    func insertWebhook(_ webhook: Webhook) async throws
    func webhook(id: String, accountID: String) async throws -> Webhook?
    func webhooks(accountID: String) async throws -> [Webhook]
    /// Replaces a webhook's settings; throws `notFound` when it is not the account's.
    func updateWebhook(_ webhook: Webhook) async throws
    /// Replaces the signing secret; the previous one keeps signing for `WebhookSecrets.rotationOverlap`.
    func rotateSecret(webhookID: String, accountID: String, now: Timestamp) async throws -> Webhook?
    /// Deletes a webhook with its deliveries; `false` when there was none.
    func deleteWebhook(id: String, accountID: String) async throws -> Bool

    // MARK: Templates
    func insertTemplate(_ template: StoredTemplate) async throws
    func template(id: String, accountID: String) async throws -> StoredTemplate?
    /// The account's templates, of one group when `group` is given.
    func templates(accountID: String, group: String?) async throws -> [StoredTemplate]
    /// Replaces a template and the copy held by every webhook that names it, in one transaction;
    /// throws `notFound` when it is not the account's.
    func updateTemplate(_ template: StoredTemplate) async throws
    /// Throws `conflict` while a webhook names it; `false` when there was none.
    func deleteTemplate(id: String, accountID: String) async throws -> Bool

    // MARK: Locations and campaigns
    func insertLocation(_ location: Location) async throws
    func location(id: String, accountID: String) async throws -> Location?
    func locations(accountID: String) async throws -> [Location]
    func updateLocation(_ location: Location) async throws
    /// Throws `conflict` while a campaign or a webhook's scope names it.
    func deleteLocation(id: String, accountID: String) async throws -> Bool
    /// Throws `conflict` when one of its tracking numbers belongs to another campaign.
    func insertCampaign(_ campaign: Campaign) async throws
    func campaign(id: String, accountID: String) async throws -> Campaign?
    func campaigns(accountID: String) async throws -> [Campaign]
    func updateCampaign(_ campaign: Campaign) async throws
    /// Throws `conflict` while a webhook's scope names it.
    func deleteCampaign(id: String, accountID: String) async throws -> Bool

    // MARK: Ingest
    /// Applies the command and writes its event and one delivery per matching webhook, in one
    /// transaction. A repeat (same idempotency key, or a call ended twice) returns the first receipt.
    /// With a lease offer, deliveries that may go at once (due now, not behind an earlier one of
    /// the same call, healthy endpoint with a free slot) are stored leased and returned as jobs.
    func ingest(_ request: IngestRequest) async throws -> IngestResult
    func call(id: String, accountID: String) async throws -> Call?
    func calls(accountID: String, page: PageRequest) async throws -> Page<Call>
    func lead(id: String, accountID: String) async throws -> Lead?
    func leads(accountID: String, page: PageRequest) async throws -> Page<Lead>

    // MARK: Deliveries, as users see them
    func deliveries(accountID: String, filter: DeliveryFilter, page: PageRequest) async throws -> Page<Delivery>
    func delivery(id: String, accountID: String) async throws -> Delivery?
    func attempts(deliveryID: String) async throws -> [Attempt]
    /// Makes a delivery due now with a fresh retry schedule, whatever its status.
    func replayDelivery(id: String, accountID: String, now: Timestamp) async throws -> Delivery?

    // MARK: Deliveries, as workers see them
    //
    // Leasing honours, per webhook: per-call order (a delivery waits while an earlier one of the
    // same call or lead is pending), the in-flight limit, and endpoint health (a failing endpoint
    // gets one probe at a time).
    /// Leases due deliveries of enabled webhooks to the offer's owner until its `leaseUntil`, one of
    /// its slots each while it grants them; a lease that runs out makes the delivery due again, so
    /// a crashed worker loses nothing.
    func leaseDueDeliveries(to offer: LeaseOffer, now: Timestamp) async throws -> [DeliveryJob]
    /// Records attempts and, with an offer, leases to it what the slots they freed let go at once
    /// (the next delivery of a call, more of a backlog) from the same webhooks. The attempts leave
    /// the offer's `answered` inside the transaction that records them.
    func recordAttempts(_ results: [AttemptResult], leasing offer: LeaseOffer?) async throws -> [DeliveryJob]
    /// When the earliest pending delivery of an enabled webhook is due (or its lease runs out).
    func nextDueTime() async throws -> Timestamp?
    /// Calls `onDue` whenever another process may have made deliveries due now (an event
    /// accepted, a replay, leases released), until the calling task is cancelled; it returns at
    /// once where the engine cannot tell (SQLite: workers poll). Without it, a worker finds such
    /// work at its next poll.
    func watchDueDeliveries(_ onDue: @escaping @Sendable () -> Void) async
    /// Gives back the leases of `owner` (at shutdown), making those deliveries due at once, and
    /// forgets its heartbeat.
    func releaseLeases(owner: String, now: Timestamp) async throws

    /// Releases, due at once, leases of `owner` that it does not know it holds: taken by a
    /// transaction whose commit it could not learn (the connection was lost at COMMIT). Keeps
    /// those in `kept` (what it is sending or recording) and those running out at or after
    /// `leasedUntilBefore` (taken after the worker listed what it holds). Answers how many.
    func releaseUnknownLeases(owner: String, keeping kept: Set<String>, leasedUntilBefore: Timestamp, now: Timestamp) async throws -> Int

    // MARK: Worker liveness
    //
    // Every delivery worker heartbeats; the leases of one that stopped are released by the living.
    // Each method is one transaction, safe to call from any number of workers at once: a release
    // that finds the rows already released changes nothing.
    /// Records that `owner` is alive at `now`.
    func heartbeat(owner: String, now: Timestamp) async throws
    /// Releases, due at once, the leases of every worker whose last heartbeat is before `silentBefore`
    /// (or that never sent one), and forgets those workers. Answers how many deliveries it released.
    func releaseLeasesOfSilentWorkers(silentBefore: Timestamp, now: Timestamp) async throws -> Int
    /// Whether `owner` is, for as long as this store is open, the only worker that can deliver
    /// from this database (SQLite: a lock beside the file). Such a worker releases the leases of
    /// others at once with `releaseLeases(notHeldBy:now:)`: their holders are gone.
    func claimSoleDelivery(owner: String) async throws -> Bool
    func releaseLeases(notHeldBy owner: String, now: Timestamp) async throws -> Int

    // MARK: Operations
    /// Throws when the database cannot be reached.
    func ping() async throws
    /// Why writes fail for want of space (they throw `StoreError.storageFull` meanwhile); nil
    /// when they succeed. Checks again, so space that has come back is seen without a write.
    func storageProblem() async -> String?
    func statistics(now: Timestamp) async throws -> StoreStatistics
}

public struct StoreStatistics: Sendable, Hashable {
    public var pending: Int
    public var leased: Int
    public var failingEndpoints: Int

    public init(pending: Int, leased: Int, failingEndpoints: Int) {
        self.pending = pending
        self.leased = leased
        self.failingEndpoints = failingEndpoints
    }
}

public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    case notFound(String)
    case conflict(String)
    /// The idempotency key was first used with another request.
    case idempotencyKeyReused(String)
    /// The database cannot grow; nothing of the write was stored.
    case storageFull(String)
    /// The database cannot be reached (a server engine): a write may or may not have committed
    /// if the connection was lost at its commit, so a client retries with its idempotency key.
    case unavailable(String)

    public var description: String {
        switch self {
        case .notFound(let message), .conflict(let message), .idempotencyKeyReused(let message), .storageFull(let message), .unavailable(let message):
            message
        }
    }
}

extension Store {
    /// Records attempts, leasing nothing.
    public func recordAttempts(_ results: [AttemptResult]) async throws {
        _ = try await recordAttempts(results, leasing: nil)
    }
}
