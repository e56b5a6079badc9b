/// Which deliveries a bulk replay sends again: every condition given must hold.
public struct ReplayFilter: Sendable, Hashable, Codable {
    /// What a delivery's outcome was: `failed` is one still retrying after a failed attempt.
    public enum Outcome: String, Sendable, Hashable, Codable, CaseIterable {
        case dead, failed, delivered
    }

    public var webhookID: String?
    public var outcomes: [Outcome]
    /// Empty: every kind.
    public var kinds: [EventKind]
    /// Deliveries created in [from, to).
    public var from: Timestamp?
    public var to: Timestamp?
    /// Calls or leads; empty: every one.
    public var subjectIDs: [String]

    public static let mostSubjects = 1_000

    public init(
        webhookID: String? = nil, outcomes: [Outcome] = [.dead], kinds: [EventKind] = [], from: Timestamp? = nil, to: Timestamp? = nil,
        subjectIDs: [String] = []
    ) {
        self.webhookID = webhookID
        self.outcomes = outcomes
        self.kinds = kinds
        self.from = from
        self.to = to
        self.subjectIDs = subjectIDs
    }
}

/// A bulk replay: the deliveries of its filter sent again once each, in the order they were
/// created, a batch at a time by whichever worker takes the job, the position kept with the
/// batch so a restart or a second worker never replays one twice.
public struct ReplayJob: Sendable, Hashable {
    public enum Status: String, Sendable, Hashable, Codable, CaseIterable {
        case running, done, cancelled
    }

    public var id: String
    public var accountID: String
    public var filter: ReplayFilter
    public var status: Status
    /// How many matched when the job was made.
    public var total: Int
    public var replayed: Int
    /// The last delivery replayed; the next batch starts after it.
    public var cursor: String?
    public var createdAt: Timestamp
    public var updatedAt: Timestamp

    public static let batch = 500

    public init(
        id: String, accountID: String, filter: ReplayFilter, status: Status = .running, total: Int, replayed: Int = 0, cursor: String? = nil,
        createdAt: Timestamp, updatedAt: Timestamp
    ) {
        self.id = id
        self.accountID = accountID
        self.filter = filter
        self.status = status
        self.total = total
        self.replayed = replayed
        self.cursor = cursor
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// The job after a batch replayed `ids` (in order) of at most `batch` asked: done when the
    /// batch came short.
    public func advanced(replaying ids: [String], asked: Int, now: Timestamp) -> ReplayJob {
        var job = self
        job.replayed += ids.count
        job.cursor = ids.last ?? cursor
        if ids.count < asked { job.status = .done }
        job.updatedAt = now
        return job
    }

    /// A running job stops where it is; a finished one stays as it ended.
    public func cancelled(now: Timestamp) -> ReplayJob {
        guard status == .running else { return self }
        var job = self
        job.status = .cancelled
        job.updatedAt = now
        return job
    }
}

extension Replay {
    /// In a bulk replay a delivery behind an earlier pending one of its call or lead to the same
    /// webhook waits for it (per-call order), as ingest's do; a single replay goes at once.
    public func nextAttemptAt(waitsBehindEarlier: Bool) -> Timestamp? {
        waitsBehindEarlier ? nil : nextAttemptAt
    }
}
