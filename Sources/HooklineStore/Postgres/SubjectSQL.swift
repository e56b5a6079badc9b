/// The statements of a call's or lead's own rows, prepared once per connection (`PreparedSQL`)
/// as the beginnings' are: a routed beginning's campaign and location, and what continues it (its
/// end, updates, conversions, messages). An end runs two of them.
enum SubjectSQL {
    /// A campaign's tracking numbers in their order, beside its row `c`.
    static let campaignNumbers = "ARRAY(SELECT n.number FROM campaign_numbers n WHERE n.campaign_id = c.id ORDER BY n.position) AS numbers"

    /// The campaign a beginning is routed to, of account `$1`: `$2` by its id, else the one
    /// tracking number `$3` (its digits) belongs to.
    enum RoutedCampaign: PreparedSQL {
        static let sql = """
            SELECT c.*, \(campaignNumbers) FROM campaigns c
            WHERE c.account_id = $1
                AND c.id = COALESCE($2::text, (SELECT n.campaign_id FROM campaign_numbers n WHERE n.account_id = $1 AND n.number = $3::text))
            """
    }

    /// The location a beginning is routed to, `$2` of account `$1`.
    enum RoutedLocation: PreparedSQL {
        static let sql = "SELECT * FROM locations WHERE account_id = $1 AND id = $2"
    }

    /// A call's row, locked: its end, updates and conversions apply one after another.
    enum CallForUpdate: PreparedSQL {
        static let sql = """
            SELECT begin_values, end_values, later_values, version, end_receipt, campaign_id, location_id, source_id
            FROM calls WHERE account_id = $1 AND id = $2 FOR UPDATE
            """
    }

    /// A call's end, with its answer.
    enum EndCall: PreparedSQL {
        static let sql = """
            UPDATE calls SET end_values = $1, later_values = $2, ended_at = $3, version = $4, end_receipt = $5
            WHERE account_id = $6 AND id = $7
            """
    }

    /// What a call's update or conversion changed.
    enum SetCallLaterValues: PreparedSQL {
        static let sql = "UPDATE calls SET later_values = $1, version = $2 WHERE account_id = $3 AND id = $4"
    }

    /// A lead's row, locked: its updates apply one after another.
    enum LeadForUpdate: PreparedSQL {
        static let sql = "SELECT token_values, version, campaign_id, location_id, source_id FROM leads WHERE account_id = $1 AND id = $2 FOR UPDATE"
    }

    enum UpdateLead: PreparedSQL {
        static let sql = "UPDATE leads SET token_values = $1, version = $2, updated_at = $3 WHERE account_id = $4 AND id = $5"
    }

    /// Counts a lead's message, locking the lead: its messages are stored one after another.
    enum AddMessage: PreparedSQL {
        static let sql = """
            UPDATE leads SET message_count = message_count + 1, version = version + 1, updated_at = $1 WHERE account_id = $2 AND id = $3
            RETURNING token_values, version, campaign_id, location_id, source_id
            """
    }
}
