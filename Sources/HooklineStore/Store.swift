import HooklineCore

/// Everything Hookline keeps. One implementation per database engine, each using its engine
/// natively; `StoreConformance` tests hold every implementation to the same behaviour.
///
/// Every read and change of an account's data takes the account id, and answers `nil` or
/// `StoreError.notFound` for another account's ids, so one account never sees another's data.
///
/// ## The concurrency contract
/// Any number of callers, in any number of processes on one database, may call any method at
/// once (`ConcurrencyConformanceTests` act it out through two stores). Each method that changes
/// something is one transaction: it happens whole or not at all, and a caller that goes away
/// does not undo it. What each promises beyond that is said on it, marked **Concurrency**. A
/// method that throws `StoreError.unavailable` may or may not have committed (the connection was
/// lost at its commit): ingest is safe to repeat with its idempotency key, a lease's rows are
/// found again by `releaseUnknownLeases`, an attempt's record may be written twice.
public protocol Store: Sendable {
    /// Creates or upgrades the schema.
    /// **Concurrency:** processes that start at once apply each migration exactly once (a lock
    /// the database holds for the migrating transaction); the others wait, then find it applied.
    func migrate() async throws

    // MARK: Settings and accounts
    func setting(_ key: String) async throws -> String?
    /// Stores `value` unless the key has one already; returns the value in force.
    /// **Concurrency:** of callers racing with different values, all get the one that won.
    func insertSettingIfAbsent(_ key: String, value: String) async throws -> String
    func createAccount(_ account: Account, keyDigest: String) async throws
    func account(keyDigest: String) async throws -> Account?
    func accounts() async throws -> [Account]
    func account(id: String) async throws -> Account?
    /// The account's rule for webhooks that stay down (`AutoDisable.standard` until set).
    func autoDisable(accountID: String) async throws -> AutoDisable
    func setAutoDisable(_ rule: AutoDisable, accountID: String) async throws
    /// The account's rules for alerting its notification channels (`AlertPolicy.standard` until set).
    func alertPolicy(accountID: String) async throws -> AlertPolicy
    func setAlertPolicy(_ policy: AlertPolicy, accountID: String) async throws

    // MARK: Users and sessions
    /// **Concurrency:** an email belongs to one user: of concurrent creations with one email, one
    /// succeeds and the others are a `conflict`.
    func createUser(_ user: User, passwordHash: String) async throws
    func credentials(email: String) async throws -> UserCredentials?
    func users(accountID: String) async throws -> [User]
    /// Deletes the user and signs out every session of theirs.
    func deleteUser(id: String, accountID: String) async throws -> Bool
    /// Stores a session by its token's digest; sessions that ran out go at the same time.
    func createSession(digest: String, userID: String, expiresAt: Timestamp, now: Timestamp) async throws
    /// The user of a session that has not run out.
    func sessionUser(digest: String, now: Timestamp) async throws -> User?
    func deleteSession(digest: String) async throws
    /// Reserves a sign-in attempt for `key` (`SignInThrottle.key`): `SignInThrottle.reserve` on
    /// the stored state, written back. **Concurrency:** atomic per key across every process: of
    /// concurrent reservations each sees the ones before it. A few throttles spent for a quarter
    /// of an hour go at the same time, so their rows stay bounded by recent attempts.
    func reserveSignIn(key: String, now: Timestamp) async throws -> SignInThrottle.Reservation
    /// A right password: the key starts over.
    func clearSignIn(key: String) async throws

    // MARK: Webhooks
    func insertWebhook(_ webhook: Webhook) async throws
    func webhook(id: String, accountID: String) async throws -> Webhook?
    func webhooks(accountID: String) async throws -> [Webhook]
    /// Replaces a webhook's settings; throws `notFound` when it is not the account's.
    func updateWebhook(_ webhook: Webhook) async throws
    /// Reads a webhook's settings and writes `change`'s answer in one transaction, the row locked
    /// between: changes made at once (two placements) all land. `nil` when it is not the account's.
    func changeWebhook(
        id: String, accountID: String, now: Timestamp, _ change: @escaping @Sendable (WebhookSettings) throws -> WebhookSettings
    ) async throws -> Webhook?
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
    /// **Concurrency:** last writer wins, and every webhook ends with that writer's copy.
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
    /// **Concurrency:** of two campaigns claiming one number at once, one is refused.
    func insertCampaign(_ campaign: Campaign) async throws
    func campaign(id: String, accountID: String) async throws -> Campaign?
    func campaigns(accountID: String) async throws -> [Campaign]
    func updateCampaign(_ campaign: Campaign) async throws
    /// Throws `conflict` while a webhook's scope names it.
    func deleteCampaign(id: String, accountID: String) async throws -> Bool

    // MARK: Sources
    /// **Concurrency:** a secret's digest belongs to one source.
    func insertSource(_ source: InboundSource, secretDigest: String) async throws
    func source(id: String, accountID: String) async throws -> InboundSource?
    func sources(accountID: String) async throws -> [InboundSource]
    /// Replaces a source's name and options; throws `notFound` when it is not the account's.
    func updateSource(_ source: InboundSource) async throws
    func rotateSourceSecret(id: String, accountID: String, secretDigest: String, now: Timestamp) async throws -> Bool
    func deleteSource(id: String, accountID: String) async throws -> Bool
    /// The source whose ingest URL carries the secret with this digest.
    func source(secretDigest: String) async throws -> InboundSource?
    /// Counts a request the source received, or refused. **Concurrency:** an increment, never lost.
    func countSourceRequest(id: String, refused: Bool) async throws

    // MARK: Ingest
    /// Applies the command and writes its event and one delivery per matching webhook, in one
    /// transaction, which ingests that arrive together may share: each is stored whole or not at
    /// all, and fails alone. A repeat (same idempotency key, or a call ended twice) returns the first receipt.
    /// With a lease offer, deliveries that may go at once (due now, not behind an earlier one of
    /// the same call, healthy endpoint with a free slot) are stored leased and returned as jobs.
    /// **Concurrency:** one idempotency key from any number of callers is one event, and each
    /// gets its receipt (the same request) or `idempotencyKeyReused`; a call begins once and ends
    /// once whoever reports it first; a call's events are ordered as their transactions commit,
    /// and its deliveries to each webhook go in that order; what it leases counts against the
    /// webhook's in-flight limit as any worker's lease does. Whatever it leaves due for others
    /// wakes their `watchDueDeliveries` at commit.
    func ingest(_ request: IngestRequest) async throws -> IngestResult
    func call(id: String, accountID: String) async throws -> Call?
    func calls(accountID: String, page: PageRequest) async throws -> Page<Call>
    func lead(id: String, accountID: String) async throws -> Lead?
    func leads(accountID: String, page: PageRequest) async throws -> Page<Lead>
    /// The events of a call or lead, oldest first (by version within a millisecond: ids are
    /// random there), at most `limit`.
    func events(accountID: String, subject: SubjectKind, subjectID: String, limit: Int) async throws -> [SubjectEvent]
    /// The calls of `match.caller` that began in its window, newest first, at most
    /// `ConversionMatch.candidatesRead`.
    func conversionCandidates(accountID: String, match: ConversionMatch) async throws -> [ConversionMatch.Candidate]

    // MARK: Deliveries, as users see them
    func deliveries(accountID: String, filter: DeliveryFilter, page: PageRequest) async throws -> Page<Delivery>
    func delivery(id: String, accountID: String) async throws -> Delivery?
    func attempts(deliveryID: String) async throws -> [Attempt]
    /// Makes a delivery due now with a fresh retry schedule, whatever its status.
    /// **Concurrency:** a replay of a delivery in flight makes it pending and unleased at once;
    /// the answer of the request in flight is still recorded as one of its attempts.
    func replayDelivery(id: String, accountID: String, now: Timestamp) async throws -> Delivery?

    // MARK: Bulk replays
    /// How many deliveries of the account `filter` matches now, per webhook.
    func replayPreview(accountID: String, filter: ReplayFilter) async throws -> [String: Int]
    func insertReplayJob(_ job: ReplayJob) async throws
    func replayJob(id: String, accountID: String) async throws -> ReplayJob?
    /// The account's replay jobs, newest first, at most `limit`.
    func replayJobs(accountID: String, limit: Int) async throws -> [ReplayJob]
    /// Stops a running job where it is; answers the job as it is now, nil when the account has none
    /// of that id.
    func cancelReplayJob(id: String, accountID: String, now: Timestamp) async throws -> ReplayJob?
    /// Replays the next `batch` deliveries (in creation order) of up to `jobs` running jobs,
    /// each delivery as `Replay` says, behind an earlier pending one of its call or lead to the
    /// same webhook (per-call order); answers how many deliveries were replayed.
    /// **Concurrency:** a batch and the job's new position are written in one transaction with
    /// the job locked (another worker skips it meanwhile), so a delivery is replayed once per job
    /// across restarts and workers.
    func advanceReplayJobs(now: Timestamp, jobs: Int, batch: Int) async throws -> Int

    /// The attempts of a webhook's deliveries created since `since`, counted by the hour they began
    /// in, their duration and outcome (a chart's percentiles stay exact without reading every
    /// attempt); oldest hour first, at most `limit` groups.
    func attemptTimings(webhookID: String, accountID: String, since: Timestamp, limit: Int) async throws -> [AttemptTiming]
    /// Deliveries created since `since`, per webhook of the account.
    func deliveryCounts(accountID: String, since: Timestamp) async throws -> [String: Int]
    /// What waits in each of the account's webhooks' queues, and when each next sends (its due
    /// time); a webhook with nothing pending is absent. Counts every pending delivery, so it costs
    /// a read of the queue's index: with `webhookID`, of that one webhook's deliveries alone (its
    /// page), not of the whole account's backlog.
    func webhookQueues(accountID: String, webhookID: String?) async throws -> [String: WebhookQueue]

    // MARK: Deliveries, as workers see them
    //
    // Leasing honours, per webhook: per-call order (a delivery waits while an earlier one of the
    // same call or lead is pending), the in-flight limit, and endpoint health (a failing endpoint
    // gets one probe at a time).
    /// Leases due deliveries of enabled webhooks to the offer's owner until its `leaseUntil`, one of
    /// its slots each while it grants them; a lease that runs out makes the delivery due again, so
    /// a crashed worker loses nothing.
    /// **Concurrency:** a delivery is leased to one worker at a time; workers leasing at once
    /// take different webhooks' work without waiting for each other, and together never exceed
    /// a webhook's in-flight limit nor take more than one probe of a failing endpoint.
    func leaseDueDeliveries(to offer: any LeaseOffer, now: Timestamp) async throws -> [DeliveryJob]
    /// Records attempts and, with an offer, leases to it what the slots they freed let go at once
    /// (the next delivery of a call, more of a backlog) from the same webhooks. The offer hears of
    /// the attempts (`recording`) inside the transaction that records them.
    /// **Concurrency:** records of one call's deliveries from several workers apply one after
    /// another (captures from both are kept, the call's next delivery is released once); a late
    /// record of a delivery already finished adds its attempt and changes nothing else.
    func recordAttempts(_ results: [AttemptResult], leasing offer: (any LeaseOffer)?) async throws -> [DeliveryJob]
    /// When the earliest pending delivery of an enabled webhook is due (or its lease runs out).
    func nextDueTime() async throws -> Timestamp?
    /// Calls `onDue` whenever another process may have made deliveries due now (an event
    /// accepted, a replay, leases released), until the calling task is cancelled; it returns at
    /// once where the engine cannot tell (SQLite: workers poll). Without it, a worker finds such
    /// work at its next poll.
    func watchDueDeliveries(_ onDue: @escaping @Sendable () -> Void) async
    /// Gives back the leases of `owner` (at shutdown), making those deliveries due at once, and
    /// forgets its heartbeat. **Concurrency:** a release racing another of the same rows changes
    /// them once.
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
    /// Moves to its earliest unleased delivery the due time of every webhook whose due time an
    /// ingest left late (on PostgreSQL, a webhook another transaction held: see `ingest`). Every
    /// living worker runs it at each heartbeat; it skips webhooks others hold. SQLite's one writer
    /// moves every due time in the transaction that makes it, and leaves none late.
    func sweepLateDueTimes(now: Timestamp) async throws
    /// Folds the pending count's recorded changes into it, a bounded batch at a time, so a scrape
    /// sums few (PostgreSQL; SQLite's triggers keep the count itself).
    func foldPendingCount() async throws
    /// Releases held deliveries whose hold's time is up, at most `limit`, each rendering what is
    /// known of its call now; answers how many. **Concurrency:** a held delivery is released once,
    /// by this or by an update of its call, whichever commits first.
    func releaseExpiredHolds(now: Timestamp, limit: Int) async throws -> Int
    /// Disables, with `AutoDisable.reason`, up to `limit` enabled webhooks that have failed without
    /// a success for their account's `AutoDisable` days; answers them as disabled. Their pending
    /// deliveries stay pending.
    /// **Concurrency:** each webhook is read and written in one transaction (its row locked on
    /// PostgreSQL), so workers sweeping at once disable it once.
    func disableLongFailingWebhooks(now: Timestamp, limit: Int) async throws -> [Webhook]
    /// Raises what Core's `AlertSweep` decides for up to `limit` webhooks (not channels) of
    /// accounts with an enabled channel whose alert state may have changed: each alert an event
    /// about the webhook, with a delivery to each channel that takes its kind, written in the
    /// transaction that moves the webhook's `AlertMark`. Answers the alerts raised. Channels are
    /// never swept, so an alert is never about an alert.
    /// **Concurrency:** each webhook is read and written in one transaction (its row locked and
    /// skipped when held on PostgreSQL), so workers sweeping at once tell each change once.
    func sweepAlerts(links: AlertLinks, now: Timestamp, limit: Int) async throws -> [Alert]
    /// Whether `owner` is, for as long as this store is open, the only worker that can deliver
    /// from this database (SQLite: a lock beside the file). Such a worker releases the leases of
    /// others at once with `releaseLeases(notHeldBy:now:)`: their holders are gone.
    func claimSoleDelivery(owner: String) async throws -> Bool
    func releaseLeases(notHeldBy owner: String, now: Timestamp) async throws -> Int

    // MARK: Retention
    /// Deletes what the plan names, each kind in a batch of up to `plan.limit`: finished deliveries
    /// with their attempts, then events no delivery needs, then idle calls and leads no delivery
    /// refers to (with what receivers answered about them), then old idempotency keys and spent
    /// sign-in throttles. **Concurrency:** processes purging at once skip each other's rows
    /// instead of waiting; nothing pending is touched, nor a call or lead a pending delivery needs,
    /// and a delivery replayed meanwhile is pending again.
    func purge(_ plan: PurgePlan) async throws -> Purged

    // MARK: Operations
    /// Throws when the database cannot be reached.
    func ping() async throws
    /// Why writes fail for want of space (they throw `StoreError.storageFull` meanwhile); nil
    /// when they succeed. Checks again, so space that has come back is seen without a write.
    func storageProblem() async -> String?
    func statistics(now: Timestamp) async throws -> StoreStatistics
}

/// What one purge deleted.
public struct Purged: Sendable, Hashable {
    public var deliveries: Int
    public var events: Int
    /// Calls and leads, with their captured values.
    public var subjects: Int
    /// Idempotency keys and spent sign-in throttles.
    public var keys: Int

    public init(deliveries: Int = 0, events: Int = 0, subjects: Int = 0, keys: Int = 0) {
        self.deliveries = deliveries
        self.events = events
        self.subjects = subjects
        self.keys = keys
    }

    /// Whether any kind of row reached the batch's limit: there may be more to purge.
    public func isFull(limit: Int) -> Bool { [deliveries, events, subjects, keys].contains { $0 >= limit } }

    public static func + (lhs: Purged, rhs: Purged) -> Purged {
        Purged(deliveries: lhs.deliveries + rhs.deliveries, events: lhs.events + rhs.events, subjects: lhs.subjects + rhs.subjects, keys: lhs.keys + rhs.keys)
    }
}

public struct StoreStatistics: Sendable, Hashable {
    public var pending: Int
    public var leased: Int
    public var failingEndpoints: Int
    /// Statements this process has sent to the database since it started, where the engine
    /// counts them (PostgreSQL, where each is a round trip): what an event costs the database.
    public var statementsSent: Int?

    public init(pending: Int, leased: Int, failingEndpoints: Int, statementsSent: Int? = nil) {
        self.pending = pending
        self.leased = leased
        self.failingEndpoints = failingEndpoints
        self.statementsSent = statementsSent
    }
}

public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    case notFound(String)
    case conflict(String)
    /// The idempotency key was first used with another request.
    case idempotencyKeyReused(String)
    /// The database cannot grow; nothing of the write was stored.
    case storageFull(String)
    /// The write would make a call or lead larger than it may grow; nothing of it was stored.
    case tooLarge(String)
    /// The database cannot be reached (a server engine): a write may or may not have committed
    /// if the connection was lost at its commit, so a client retries with its idempotency key.
    case unavailable(String)

    public var description: String {
        switch self {
        case .notFound(let message), .conflict(let message), .idempotencyKeyReused(let message), .storageFull(let message), .tooLarge(let message),
            .unavailable(let message):
            message
        }
    }

    /// Refused for what the request asked, so asking again refuses it again; otherwise the
    /// database could not take it now (unreachable, full), and it may be taken later.
    public var refusesTheRequest: Bool {
        switch self {
        case .notFound, .conflict, .idempotencyKeyReused, .tooLarge: true
        case .unavailable, .storageFull: false
        }
    }
}

extension Store {
    /// Records attempts, leasing nothing.
    public func recordAttempts(_ results: [AttemptResult]) async throws {
        _ = try await recordAttempts(results, leasing: nil)
    }

    /// What waits in each of the account's webhooks' queues (`webhookQueues(accountID:webhookID:)`).
    public func webhookQueues(accountID: String) async throws -> [String: WebhookQueue] {
        try await webhookQueues(accountID: accountID, webhookID: nil)
    }

    /// What waits in one webhook's queue, reading its own pending deliveries alone.
    public func webhookQueue(id: String, accountID: String) async throws -> WebhookQueue {
        try await webhookQueues(accountID: accountID, webhookID: id)[id] ?? .empty
    }
}
