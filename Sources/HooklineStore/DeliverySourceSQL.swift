/// Deliveries as people read them, each with the source that reported its call or lead: the same
/// SQL on both engines, a correlated lookup by the primary key of calls or leads.
enum DeliverySourceSQL {
    static let select = """
        SELECT d.*, CASE WHEN d.subject_kind = 'call' THEN (SELECT c.source_id FROM calls c WHERE c.account_id = d.account_id AND c.id = d.subject_id)
            ELSE (SELECT l.source_id FROM leads l WHERE l.account_id = d.account_id AND l.id = d.subject_id) END AS source_id
        FROM deliveries d
        """
}
