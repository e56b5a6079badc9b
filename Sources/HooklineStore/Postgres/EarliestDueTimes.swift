/// Webhooks' due times to move, each the earliest its deliveries need: what one transaction moves
/// with its insert (`IngestWrites`), or what moves after its commit (`advanceLate`) for webhooks
/// another transaction held while it wrote.
struct EarliestDueTimes: Sendable {
    /// Milliseconds since 1970, by webhook id.
    private(set) var byWebhook: [String: Int64] = [:]

    mutating func add(webhookID: String, due: Int64) {
        byWebhook[webhookID] = min(byWebhook[webhookID] ?? due, due)
    }

    mutating func add(_ other: EarliestDueTimes) {
        byWebhook.merge(other.byWebhook, uniquingKeysWith: min)
    }
}
