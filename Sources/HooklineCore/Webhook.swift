/// An HTTP header a webhook sends, in the order the user gave.
public struct HeaderField: Sendable, Hashable, Codable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

public enum WebhookMethod: String, Sendable, CaseIterable, Codable {
    case post = "POST", put = "PUT", patch = "PATCH", get = "GET"
}

/// What a user configures: where to send which events, shaped by which template.
public struct WebhookSettings: Sendable, Hashable, Codable {
    public var name: String
    public var url: String
    public var method: WebhookMethod
    public var headers: [HeaderField]
    public var template: Template
    public var successCodes: [Int]
    public var triggers: [EventKind]
    public var enabled: Bool
    public var retry: RetryPolicy

    public static let defaultSuccessCodes = Array(200...299)

    public init(
        name: String, url: String, method: WebhookMethod = .post, headers: [HeaderField] = [], template: Template,
        successCodes: [Int] = WebhookSettings.defaultSuccessCodes, triggers: [EventKind], enabled: Bool = true,
        retry: RetryPolicy = .standard
    ) {
        self.name = name
        self.url = url
        self.method = method
        self.headers = headers
        self.template = template
        self.successCodes = successCodes
        self.triggers = triggers
        self.enabled = enabled
        self.retry = retry
    }
}

/// A saved webhook.
public struct Webhook: Sendable, Hashable, Codable, Identifiable {
    public var id: String
    public var accountID: String
    public var settings: WebhookSettings
    public var createdAt: Timestamp
    public var updatedAt: Timestamp

    public init(id: String, accountID: String, settings: WebhookSettings, createdAt: Timestamp, updatedAt: Timestamp) {
        self.id = id
        self.accountID = accountID
        self.settings = settings
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    public func subscribes(to kind: EventKind) -> Bool {
        settings.enabled && settings.triggers.contains(kind)
    }
}

extension Timestamp: Codable {
    public init(from decoder: any Decoder) throws {
        self.init(millisecondsSince1970: try decoder.singleValueContainer().decode(Int64.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(millisecondsSince1970)
    }
}
