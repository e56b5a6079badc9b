import HooklineCore
import PostgresNIO

/// Templates saved as objects, locations and campaigns.
extension PostgresStore {
    // MARK: Templates

    public func insertTemplate(_ template: StoredTemplate) async throws {
        try await transaction { [logger] connection in
            try await connection.run(
                """
                INSERT INTO templates (id, account_id, name, group_name, format, body, created_at, updated_at)
                VALUES (\(template.id), \(template.accountID), \(template.name), \(template.group), \(template.template.format.rawValue),
                    \(template.template.body), \(template.createdAt.millisecondsSince1970), \(template.updatedAt.millisecondsSince1970))
                """, logger: logger)
        }
    }

    public func template(id: String, accountID: String) async throws -> StoredTemplate? {
        try await rows("SELECT * FROM templates WHERE id = \(id) AND account_id = \(accountID)").first.map(Self.template)
    }

    public func templates(accountID: String, group: String?) async throws -> [StoredTemplate] {
        if let group {
            return try await rows("SELECT * FROM templates WHERE account_id = \(accountID) AND group_name = \(group) ORDER BY id").map(Self.template)
        }
        return try await rows("SELECT * FROM templates WHERE account_id = \(accountID) ORDER BY id").map(Self.template)
    }

    /// The template and every webhook that names it change in one transaction; the webhooks are
    /// locked by id, as everywhere.
    public func updateTemplate(_ template: StoredTemplate) async throws {
        let cache = webhookCache
        try await transaction { [logger] connection in
            let changed = try await connection.rows(
                """
                UPDATE templates SET name = \(template.name), group_name = \(template.group), format = \(template.template.format.rawValue),
                    body = \(template.template.body), updated_at = \(template.updatedAt.millisecondsSince1970)
                WHERE id = \(template.id) AND account_id = \(template.accountID) RETURNING id
                """, logger: logger)
            guard !changed.isEmpty else { throw StoreError.notFound("template \(template.id) not found") }
            let webhooks = try await connection.rows("SELECT * FROM webhooks WHERE account_id = \(template.accountID) ORDER BY id FOR NO KEY UPDATE", logger: logger)
                .map(cache.webhook)
            for webhook in webhooks where webhook.settings.template.templateID == template.id {
                var settings = webhook.settings
                settings.template = .stored(id: template.id, template: template.template)
                try await connection.run(
                    """
                    UPDATE webhooks SET settings = \(try Self.encode(settings)), updated_at = \(template.updatedAt.millisecondsSince1970),
                        revision = revision + 1 WHERE id = \(webhook.id)
                    """, logger: logger)
            }
        }
    }

    public func deleteTemplate(id: String, accountID: String) async throws -> Bool {
        let cache = webhookCache
        return try await transaction { [logger] connection in
            // Locked: a webhook saved meanwhile cannot name the template being deleted.
            let webhooks = try await connection.rows("SELECT * FROM webhooks WHERE account_id = \(accountID) ORDER BY id FOR SHARE", logger: logger)
                .map(cache.webhook)
            if let conflict = ReferenceConflict.deletingTemplate(id, webhooks: webhooks) { throw StoreError.conflict(conflict.message) }
            return try await !connection.rows("DELETE FROM templates WHERE id = \(id) AND account_id = \(accountID) RETURNING id", logger: logger).isEmpty
        }
    }

    static func template(_ row: PostgresRandomAccessRow) throws -> StoredTemplate {
        StoredTemplate(
            id: try row.column("id"), accountID: try row.column("account_id"), name: try row.column("name"), group: try row.column("group_name"),
            template: Template(format: TemplateFormat(rawValue: try row.column("format")) ?? .json, body: try row.column("body")),
            createdAt: try row.time("created_at"), updatedAt: try row.time("updated_at"))
    }

    // MARK: Locations

    public func insertLocation(_ location: Location) async throws {
        try await transaction { [logger] connection in
            try await connection.run(
                """
                INSERT INTO locations (id, account_id, token_values, created_at, updated_at)
                VALUES (\(location.id), \(location.accountID), \(location.values.jsonText), \(location.createdAt.millisecondsSince1970),
                    \(location.updatedAt.millisecondsSince1970))
                """, logger: logger)
        }
    }

    public func location(id: String, accountID: String) async throws -> Location? {
        try await withConnection { [logger] connection in try await Self.location(id: id, accountID: accountID, connection: connection, logger: logger) }
    }

    static func location(id: String, accountID: String, connection: PostgresConnection, logger: Logger) async throws -> Location? {
        try await connection.rows(SubjectSQL.RoutedLocation.self, binding: accountID, id, logger: logger).first.map(location)
    }

    public func locations(accountID: String) async throws -> [Location] {
        try await rows("SELECT * FROM locations WHERE account_id = \(accountID) ORDER BY id").map(Self.location)
    }

    public func updateLocation(_ location: Location) async throws {
        try await transaction { [logger] connection in
            let changed = try await connection.rows(
                """
                UPDATE locations SET token_values = \(location.values.jsonText), updated_at = \(location.updatedAt.millisecondsSince1970)
                WHERE id = \(location.id) AND account_id = \(location.accountID) RETURNING id
                """, logger: logger)
            guard !changed.isEmpty else { throw StoreError.notFound("location \(location.id) not found") }
        }
    }

    public func deleteLocation(id: String, accountID: String) async throws -> Bool {
        let cache = webhookCache
        return try await transaction { [logger] connection in
            // The location first: a campaign saved meanwhile waits for this delete and then fails
            // its reference, instead of naming a location that is gone.
            guard
                !(try await connection.rows("SELECT id FROM locations WHERE id = \(id) AND account_id = \(accountID) FOR UPDATE", logger: logger).isEmpty)
            else { return false }
            let campaigns = try await connection.rows("SELECT id FROM campaigns WHERE account_id = \(accountID) AND location_id = \(id) ORDER BY id", logger: logger)
                .map { try $0.column("id", as: String.self) }
            guard campaigns.isEmpty else {
                throw StoreError.conflict("location \(id) is used by campaign \(campaigns.joined(separator: ", "))")
            }
            try await Self.refuseIfPlaced(accountID: accountID, what: "location \(id)", cache: cache, connection: connection, logger: logger, place: .location(id))
            try await connection.run("DELETE FROM locations WHERE id = \(id) AND account_id = \(accountID)", logger: logger)
            return true
        }
    }

    static func location(_ row: PostgresRandomAccessRow) throws -> Location {
        Location(
            id: try row.column("id"), accountID: try row.column("account_id"), values: try object(try row.column("token_values")),
            createdAt: try row.time("created_at"), updatedAt: try row.time("updated_at"))
    }

    /// Throws `conflict` naming the webhooks still enabled on what is being deleted; they
    /// stay locked until the delete commits.
    private static func refuseIfPlaced(
        accountID: String, what: String, cache: PostgresWebhookCache, connection: PostgresConnection, logger: Logger, place: PlaceReference
    ) async throws {
        let webhooks = try await connection.rows("SELECT * FROM webhooks WHERE account_id = \(accountID) ORDER BY id FOR SHARE", logger: logger)
            .map(cache.webhook)
        if let conflict = ReferenceConflict.deletingPlace(place, what: what, webhooks: webhooks) { throw StoreError.conflict(conflict.message) }
    }

    // MARK: Campaigns

    public func insertCampaign(_ campaign: Campaign) async throws {
        try await transaction { [logger] connection in
            try await connection.run(
                """
                INSERT INTO campaigns (id, account_id, name, kind, tags, location_id, created_at, updated_at)
                VALUES (\(campaign.id), \(campaign.accountID), \(campaign.name), \(campaign.kind.rawValue), \(campaign.tags.jsonText),
                    \(campaign.locationID), \(campaign.createdAt.millisecondsSince1970), \(campaign.updatedAt.millisecondsSince1970))
                """, logger: logger)
            try await Self.saveNumbers(of: campaign, connection: connection, logger: logger)
        }
    }

    /// A number another campaign holds is refused by the primary key, not by a read first.
    private static func saveNumbers(of campaign: Campaign, connection: PostgresConnection, logger: Logger) async throws {
        try await connection.run("DELETE FROM campaign_numbers WHERE campaign_id = \(campaign.id)", logger: logger)
        for (position, number) in campaign.trackingNumbers.enumerated() {
            let digits = Campaign.normalizedNumber(number)
            let inserted = try await connection.rows(
                """
                INSERT INTO campaign_numbers (account_id, number, campaign_id, position) VALUES (\(campaign.accountID), \(digits), \(campaign.id), \(position))
                ON CONFLICT (account_id, number) DO NOTHING RETURNING number
                """, logger: logger)
            if inserted.isEmpty {
                let owner = try await connection.rows(
                    "SELECT campaign_id FROM campaign_numbers WHERE account_id = \(campaign.accountID) AND number = \(digits)", logger: logger
                ).first.map { try $0.column("campaign_id", as: String.self) }
                throw StoreError.conflict(ReferenceConflict.trackingNumber(number, heldBy: owner).message)
            }
        }
    }

    public func campaign(id: String, accountID: String) async throws -> Campaign? {
        try await withConnection { [logger] connection in try await Self.campaign(id: id, accountID: accountID, connection: connection, logger: logger) }
    }

    static func campaign(id: String, accountID: String, connection: PostgresConnection, logger: Logger) async throws -> Campaign? {
        try await connection.rows(SubjectSQL.RoutedCampaign.self, binding: accountID, id, String?.none, logger: logger).first.map(campaign)
    }

    /// The campaign a tracking number belongs to.
    static func campaign(trackingNumber: String, accountID: String, connection: PostgresConnection, logger: Logger) async throws -> Campaign? {
        let digits = Campaign.normalizedNumber(trackingNumber)
        guard !digits.isEmpty else { return nil }
        return try await connection.rows(SubjectSQL.RoutedCampaign.self, binding: accountID, String?.none, digits, logger: logger).first.map(campaign)
    }

    public func campaigns(accountID: String) async throws -> [Campaign] {
        try await withConnection { [logger] connection in
            try await connection.rows(
                "SELECT c.*, \(unescaped: SubjectSQL.campaignNumbers) FROM campaigns c WHERE c.account_id = \(accountID) ORDER BY c.id", logger: logger
            ).map(Self.campaign)
        }
    }

    public func updateCampaign(_ campaign: Campaign) async throws {
        try await transaction { [logger] connection in
            let changed = try await connection.rows(
                """
                UPDATE campaigns SET name = \(campaign.name), kind = \(campaign.kind.rawValue), tags = \(campaign.tags.jsonText),
                    location_id = \(campaign.locationID), updated_at = \(campaign.updatedAt.millisecondsSince1970)
                WHERE id = \(campaign.id) AND account_id = \(campaign.accountID) RETURNING id
                """, logger: logger)
            guard !changed.isEmpty else { throw StoreError.notFound("campaign \(campaign.id) not found") }
            try await Self.saveNumbers(of: campaign, connection: connection, logger: logger)
        }
    }

    public func deleteCampaign(id: String, accountID: String) async throws -> Bool {
        let cache = webhookCache
        return try await transaction { [logger] connection in
            guard
                !(try await connection.rows("SELECT id FROM campaigns WHERE id = \(id) AND account_id = \(accountID) FOR UPDATE", logger: logger).isEmpty)
            else { return false }
            try await Self.refuseIfPlaced(accountID: accountID, what: "campaign \(id)", cache: cache, connection: connection, logger: logger, place: .campaign(id))
            // Its numbers go with it (ON DELETE CASCADE).
            try await connection.run("DELETE FROM campaigns WHERE id = \(id) AND account_id = \(accountID)", logger: logger)
            return true
        }
    }

    /// A campaign's row with its tracking numbers (`SubjectSQL.campaignNumbers`).
    static func campaign(_ row: PostgresRandomAccessRow) throws -> Campaign {
        Campaign(
            id: try row.column("id"), accountID: try row.column("account_id"), name: try row.column("name"),
            kind: CampaignKind(rawValue: try row.column("kind")) ?? .offline, tags: try object(try row.column("tags")), locationID: try row.column("location_id"),
            trackingNumbers: try row.column("numbers"), createdAt: try row.time("created_at"), updatedAt: try row.time("updated_at"))
    }
}
