import HooklineCore

/// "Replay these" under a filtered delivery log: how many its filter would replay.
struct ReplayOffer {
    let count: Int
    let outcome: String
    let webhookID: String
    let status: String
    let subjectID: String
}

/// A bulk replay's page: what it replays, how far it is, and Cancel while it runs.
struct ReplayView {
    let id: String
    let status: String
    let running: Bool
    let total: Int
    let replayed: Int
    let percent: Int
    let what: String
    let created: String

    init(_ job: ReplayJob, webhookNames: [String: String]) {
        id = job.id
        status = job.status.rawValue
        running = job.status == .running
        total = job.total
        replayed = job.replayed
        percent = job.total > 0 ? min(100, job.replayed * 100 / job.total) : 100
        let filter = job.filter
        var parts = [filter.outcomes.map(\.rawValue).joined(separator: " or ") + " deliveries"]
        if let webhookID = filter.webhookID { parts.append("of \(webhookNames[webhookID] ?? webhookID)") }
        if !filter.kinds.isEmpty { parts.append("of \(filter.kinds.map(\.rawValue).joined(separator: ", "))") }
        if !filter.subjectIDs.isEmpty { parts.append("for \(filter.subjectIDs.joined(separator: ", "))") }
        what = parts.joined(separator: " ")
        created = Pages.time(job.createdAt)
    }
}
