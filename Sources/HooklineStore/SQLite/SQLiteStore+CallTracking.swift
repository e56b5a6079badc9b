import GRDB
import HooklineCore

/// Templates saved as objects, locations and campaigns.
extension SQLiteStore {
    // MARK: Templates

    public func insertTemplate(_ template: StoredTemplate) async throws {
        try await write { db in
            try db.execute(
                sql: """
                    INSERT INTO templates (id, account_id, name, group_name, format, body, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    template.id, template.accountID, template.name, template.group, template.template.format.rawValue, template.template.body,
                    template.createdAt.millisecondsSince1970, template.updatedAt.millisecondsSince1970,
                ])
        }
    }

    public func template(id: String, accountID: String) async throws -> StoredTemplate? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM templates WHERE id = ? AND account_id = ?", arguments: [id, accountID]).map(Self.template)
        }
    }

    public func templates(accountID: String, group: String?) async throws -> [StoredTemplate] {
        try await pool.read { db in
            if let group {
                return try Row.fetchAll(db, sql: "SELECT * FROM templates WHERE account_id = ? AND group_name = ? ORDER BY id", arguments: [accountID, group])
                    .map(Self.template)
            }
            return try Row.fetchAll(db, sql: "SELECT * FROM templates WHERE account_id = ? ORDER BY id", arguments: [accountID]).map(Self.template)
        }
    }

    public func updateTemplate(_ template: StoredTemplate) async throws {
        let cache = webhookCache
        try await write { db in
            try db.execute(
                sql: "UPDATE templates SET name = ?, group_name = ?, format = ?, body = ?, updated_at = ? WHERE id = ? AND account_id = ?",
                arguments: [
                    template.name, template.group, template.template.format.rawValue, template.template.body,
                    template.updatedAt.millisecondsSince1970, template.id, template.accountID,
                ])
            guard db.changesCount > 0 else { throw StoreError.notFound("template \(template.id) not found") }
            for webhook in try Self.webhooks(accountID: template.accountID, cache: cache, db: db) where webhook.settings.template.templateID == template.id {
                var settings = webhook.settings
                settings.template = .stored(id: template.id, template: template.template)
                try db.execute(
                    sql: "UPDATE webhooks SET settings = ?, updated_at = ?, revision = revision + 1 WHERE id = ?",
                    arguments: [try Self.encode(settings), template.updatedAt.millisecondsSince1970, webhook.id])
            }
        }
    }

    public func deleteTemplate(id: String, accountID: String) async throws -> Bool {
        let cache = webhookCache
        return try await write { db in
            if let conflict = ReferenceConflict.deletingTemplate(id, webhooks: try Self.webhooks(accountID: accountID, cache: cache, db: db)) {
                throw StoreError.conflict(conflict.message)
            }
            try db.execute(sql: "DELETE FROM templates WHERE id = ? AND account_id = ?", arguments: [id, accountID])
            return db.changesCount > 0
        }
    }

    static func template(_ row: Row) throws -> StoredTemplate {
        let format: String = row["format"]
        return StoredTemplate(
            id: row["id"], accountID: row["account_id"], name: row["name"], group: row["group_name"],
            template: Template(format: TemplateFormat(rawValue: format) ?? .json, body: row["body"]),
            createdAt: Timestamp(millisecondsSince1970: row["created_at"]), updatedAt: Timestamp(millisecondsSince1970: row["updated_at"]))
    }

    // MARK: Locations

    public func insertLocation(_ location: Location) async throws {
        try await write { db in
            try db.execute(
                sql: "INSERT INTO locations (id, account_id, token_values, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
                arguments: [location.id, location.accountID, location.values.jsonText, location.createdAt.millisecondsSince1970, location.updatedAt.millisecondsSince1970])
        }
    }

    public func location(id: String, accountID: String) async throws -> Location? {
        try await pool.read { db in try Self.location(id: id, accountID: accountID, db: db) }
    }

    static func location(id: String, accountID: String, db: Database) throws -> Location? {
        try Row.cachedOne(db, sql: "SELECT * FROM locations WHERE id = ? AND account_id = ?", arguments: [id, accountID]).map(location)
    }

    public func locations(accountID: String) async throws -> [Location] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM locations WHERE account_id = ? ORDER BY id", arguments: [accountID]).map(Self.location)
        }
    }

    public func updateLocation(_ location: Location) async throws {
        try await write { db in
            try db.execute(
                sql: "UPDATE locations SET token_values = ?, updated_at = ? WHERE id = ? AND account_id = ?",
                arguments: [location.values.jsonText, location.updatedAt.millisecondsSince1970, location.id, location.accountID])
            guard db.changesCount > 0 else { throw StoreError.notFound("location \(location.id) not found") }
        }
    }

    public func deleteLocation(id: String, accountID: String) async throws -> Bool {
        let cache = webhookCache
        return try await write { db in
            let campaigns = try String.fetchAll(db, sql: "SELECT id FROM campaigns WHERE account_id = ? AND location_id = ?", arguments: [accountID, id])
            guard campaigns.isEmpty else {
                throw StoreError.conflict("location \(id) is used by campaign \(campaigns.joined(separator: ", "))")
            }
            try Self.refuseIfPlaced(accountID: accountID, what: "location \(id)", cache: cache, db: db, place: .location(id))
            try db.execute(sql: "DELETE FROM locations WHERE id = ? AND account_id = ?", arguments: [id, accountID])
            return db.changesCount > 0
        }
    }

    static func location(_ row: Row) throws -> Location {
        Location(
            id: row["id"], accountID: row["account_id"], values: try object(row["token_values"]),
            createdAt: Timestamp(millisecondsSince1970: row["created_at"]), updatedAt: Timestamp(millisecondsSince1970: row["updated_at"]))
    }

    /// Throws `conflict` naming the webhooks still enabled on what is being deleted.
    private static func refuseIfPlaced(
        accountID: String, what: String, cache: SQLiteWebhookCache, db: Database, place: PlaceReference
    ) throws {
        if let conflict = ReferenceConflict.deletingPlace(place, what: what, webhooks: try webhooks(accountID: accountID, cache: cache, db: db)) {
            throw StoreError.conflict(conflict.message)
        }
    }

    // MARK: Campaigns

    public func insertCampaign(_ campaign: Campaign) async throws {
        try await write { db in
            try db.execute(
                sql: """
                    INSERT INTO campaigns (id, account_id, name, kind, tags, location_id, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    campaign.id, campaign.accountID, campaign.name, campaign.kind.rawValue, campaign.tags.jsonText, campaign.locationID,
                    campaign.createdAt.millisecondsSince1970, campaign.updatedAt.millisecondsSince1970,
                ])
            try Self.saveNumbers(of: campaign, db: db)
        }
    }

    private static func saveNumbers(of campaign: Campaign, db: Database) throws {
        try db.execute(sql: "DELETE FROM campaign_numbers WHERE campaign_id = ?", arguments: [campaign.id])
        for (position, number) in campaign.trackingNumbers.enumerated() {
            let digits = Campaign.normalizedNumber(number)
            if let owner = try String.fetchOne(db, sql: "SELECT campaign_id FROM campaign_numbers WHERE account_id = ? AND number = ?", arguments: [campaign.accountID, digits]) {
                throw StoreError.conflict(ReferenceConflict.trackingNumber(number, heldBy: owner).message)
            }
            try db.execute(
                sql: "INSERT INTO campaign_numbers (account_id, number, campaign_id, position) VALUES (?, ?, ?, ?)",
                arguments: [campaign.accountID, digits, campaign.id, position])
        }
    }

    public func campaign(id: String, accountID: String) async throws -> Campaign? {
        try await pool.read { db in try Self.campaign(id: id, accountID: accountID, db: db) }
    }

    static func campaign(id: String, accountID: String, db: Database) throws -> Campaign? {
        guard let row = try Row.cachedOne(db, sql: "SELECT * FROM campaigns WHERE id = ? AND account_id = ?", arguments: [id, accountID]) else { return nil }
        return try campaign(row, db: db)
    }

    /// The campaign a tracking number belongs to.
    static func campaign(trackingNumber: String, accountID: String, db: Database) throws -> Campaign? {
        let digits = Campaign.normalizedNumber(trackingNumber)
        guard !digits.isEmpty,
            let id = try String.cachedOne(db, sql: "SELECT campaign_id FROM campaign_numbers WHERE account_id = ? AND number = ?", arguments: [accountID, digits])
        else { return nil }
        return try campaign(id: id, accountID: accountID, db: db)
    }

    public func campaigns(accountID: String) async throws -> [Campaign] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM campaigns WHERE account_id = ? ORDER BY id", arguments: [accountID]).map { try Self.campaign($0, db: db) }
        }
    }

    public func updateCampaign(_ campaign: Campaign) async throws {
        try await write { db in
            try db.execute(
                sql: "UPDATE campaigns SET name = ?, kind = ?, tags = ?, location_id = ?, updated_at = ? WHERE id = ? AND account_id = ?",
                arguments: [
                    campaign.name, campaign.kind.rawValue, campaign.tags.jsonText, campaign.locationID, campaign.updatedAt.millisecondsSince1970,
                    campaign.id, campaign.accountID,
                ])
            guard db.changesCount > 0 else { throw StoreError.notFound("campaign \(campaign.id) not found") }
            try Self.saveNumbers(of: campaign, db: db)
        }
    }

    public func deleteCampaign(id: String, accountID: String) async throws -> Bool {
        let cache = webhookCache
        return try await write { db in
            try Self.refuseIfPlaced(accountID: accountID, what: "campaign \(id)", cache: cache, db: db, place: .campaign(id))
            try db.execute(sql: "DELETE FROM campaigns WHERE id = ? AND account_id = ?", arguments: [id, accountID])
            guard db.changesCount > 0 else { return false }
            try db.execute(sql: "DELETE FROM campaign_numbers WHERE campaign_id = ?", arguments: [id])
            return true
        }
    }

    static func campaign(_ row: Row, db: Database) throws -> Campaign {
        let id: String = row["id"]
        let kind: String = row["kind"]
        let numbers = try String.cachedAll(db, sql: "SELECT number FROM campaign_numbers WHERE campaign_id = ? ORDER BY position", arguments: [id])
        return Campaign(
            id: id, accountID: row["account_id"], name: row["name"], kind: CampaignKind(rawValue: kind) ?? .offline,
            tags: try object(row["tags"]), locationID: row["location_id"], trackingNumbers: numbers,
            createdAt: Timestamp(millisecondsSince1970: row["created_at"]), updatedAt: Timestamp(millisecondsSince1970: row["updated_at"]))
    }
}
