import HooklineCore

/// Deliveries as people read them, each with the source that reported its call or lead and the
/// version of it its event rendered: the same SQL on both engines, correlated lookups by primary
/// keys.
enum DeliverySourceSQL {
    static let select = """
        SELECT d.*, COALESCE(d.rendered_version, (SELECT e.subject_version FROM events e WHERE e.id = d.event_id)) AS subject_version, CASE WHEN d.subject_kind = 'call' THEN (SELECT c.source_id FROM calls c WHERE c.account_id = d.account_id AND c.id = d.subject_id)
            ELSE (SELECT l.source_id FROM leads l WHERE l.account_id = d.account_id AND l.id = d.subject_id) END AS source_id
        FROM deliveries d
        """

    /// The condition a status filter adds: a held delivery is stored pending, with its hold's end.
    static func status(_ status: DeliveryStatus) -> String {
        switch status {
        case .held: "d.status = 'pending' AND d.held_until IS NOT NULL"
        case .pending: "d.status = 'pending' AND d.held_until IS NULL"
        case .delivered: "d.status = 'delivered'"
        case .dead: "d.status = 'dead'"
        }
    }
}
