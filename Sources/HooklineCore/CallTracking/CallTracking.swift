/// A place calls belong to (a dealership, a branch), holding the `location_info` tokens.
public struct Location: Sendable, Hashable, Identifiable {
    public var id: String
    public var accountID: String
    /// `location_info` token values; `location_name` is always set.
    public var values: JSONObject
    public var createdAt: Timestamp
    public var updatedAt: Timestamp

    public init(id: String, accountID: String, values: JSONObject, createdAt: Timestamp, updatedAt: Timestamp) {
        self.id = id
        self.accountID = accountID
        self.values = values
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

public enum CampaignKind: String, Sendable, Hashable, CaseIterable, Codable {
    /// Print, radio, billboards: a number of its own.
    case offline
    /// Dynamic number insertion on a web site.
    case dni
}

/// A marketing campaign and the tracking numbers that belong to it.
public struct Campaign: Sendable, Hashable, Identifiable {
    public var id: String
    public var accountID: String
    public var name: String
    public var kind: CampaignKind
    public var tags: JSONObject
    public var locationID: String?
    public var trackingNumbers: [String]
    public var createdAt: Timestamp
    public var updatedAt: Timestamp

    public init(
        id: String, accountID: String, name: String, kind: CampaignKind, tags: JSONObject, locationID: String?, trackingNumbers: [String],
        createdAt: Timestamp, updatedAt: Timestamp
    ) {
        self.id = id
        self.accountID = accountID
        self.name = name
        self.kind = kind
        self.tags = tags
        self.locationID = locationID
        self.trackingNumbers = trackingNumbers
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// Tracking numbers compare by their ASCII digits, so `+1 (777) 483-9229` is `17774839229`.
    /// Byte by byte: every call's caller passes here, and UTF-8 never puts an ASCII byte inside
    /// another character.
    public static func normalizedNumber(_ number: String) -> String {
        String(decoding: number.utf8.filter { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }, as: UTF8.self)
    }
}

/// A template saved as an object, offered to every webhook of the account.
public struct StoredTemplate: Sendable, Hashable, Identifiable {
    public var id: String
    public var accountID: String
    public var name: String
    public var group: String?
    public var template: Template
    public var createdAt: Timestamp
    public var updatedAt: Timestamp

    public init(id: String, accountID: String, name: String, group: String?, template: Template, createdAt: Timestamp, updatedAt: Timestamp) {
        self.id = id
        self.accountID = accountID
        self.name = name
        self.group = group
        self.template = template
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// Filling in what a call's source did not send from what Hookline knows of its campaign and
/// location. Values the source sent always win.
public enum CallEnrichment {
    public static func enrich(_ values: JSONObject, campaign: Campaign?, location: Location?) -> JSONObject {
        var values = values
        if let campaign {
            if values["campaign_name"]?.isNull ?? true { values["campaign_name"] = .string(campaign.name) }
            if values["tags"]?.isNull ?? true, !campaign.tags.isEmpty { values["tags"] = .object(campaign.tags) }
        }
        if let location {
            for (key, value) in location.values where values[key]?.isNull ?? true { values[key] = value }
        }
        return values
    }
}
