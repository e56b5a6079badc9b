/// Deliveries as people read them, each with the source that reported its call or lead and the
/// version of it its event rendered: the same SQL on both engines, correlated lookups by primary
/// keys.
enum DeliverySourceSQL {
    static let select = """
        SELECT d.*, (SELECT e.subject_version FROM events e WHERE e.id = d.event_id) AS subject_version, CASE WHEN d.subject_kind = 'call' THEN (SELECT c.source_id FROM calls c WHERE c.account_id = d.account_id AND c.id = d.subject_id)
            ELSE (SELECT l.source_id FROM leads l WHERE l.account_id = d.account_id AND l.id = d.subject_id) END AS source_id
        FROM deliveries d
        """
}
