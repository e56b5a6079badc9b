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

/// Credentials a webhook sends to its receiver. Never shown back in API answers.
public enum WebhookAuth: Sendable, Hashable, Codable {
    case basic(username: String, password: String)
    case bearer(token: String)
}

/// Per-webhook limits on how long a request may take, in seconds.
public struct WebhookTimeouts: Sendable, Hashable, Codable {
    public var connect: Double
    public var total: Double

    public static let standard = WebhookTimeouts(connect: 5, total: 15)
    public static let longest = WebhookTimeouts(connect: 30, total: 120)

    public init(connect: Double, total: Double) {
        self.connect = connect
        self.total = total
    }
}

/// Where a webhook's payload shape comes from.
public enum TemplateSource: Sendable, Hashable, Codable {
    case inline(Template)
    /// A saved template object, copied here whenever it changes.
    case stored(id: String, template: Template)
    case preset(PresetChoice)

    public func template(for kind: EventKind) -> Template? {
        switch self {
        case .inline(let template), .stored(_, let template): template
        case .preset(let choice): choice.preset?.template(for: kind, options: choice.optionValues)
        }
    }

    public var templateID: String? {
        if case .stored(let id, _) = self { return id }
        return nil
    }

    public var presetChoice: PresetChoice? {
        if case .preset(let choice) = self { return choice }
        return nil
    }
}

/// What a user configures: where to send which events, shaped by which template.
public struct WebhookSettings: Sendable, Hashable, Codable {
    public var name: String
    public var url: String
    public var method: WebhookMethod
    /// Values may hold `%token%` placeholders.
    public var headers: [HeaderField]
    public var template: TemplateSource
    public var successCodes: [Int]
    public var triggers: [EventKind]
    public var enabled: Bool
    public var retry: RetryPolicy
    /// Requests to this webhook in flight at once.
    public var maxInFlight: Int
    /// While the endpoint is failing, the longest wait between probes, in seconds.
    public var probeInterval: Double
    public var timeouts: WebhookTimeouts
    /// Standard Webhooks signature headers.
    public var signing: Bool
    public var auth: WebhookAuth?
    /// Besides a success code, what the answer's body must say.
    public var answerRule: AnswerRule?
    /// Values taken from the answer onto the call or lead.
    public var captures: [AnswerCapture]
    public var scope: WebhookScope
    public var conditions: [TokenCondition]
    /// Call events only for a caller's first call to the account (`repeat_caller` = 0).
    public var firstCallOnly: Bool
    /// Hold the end of a call until listed tokens are known (its recording), for a time at most.
    public var hold: HoldRule?
    /// At most so many requests in so many seconds, across every worker.
    public var rateLimit: RateLimit?

    public static let defaultSuccessCodes = Array(200...299)
    public static let defaultMaxInFlight = 8
    public static let defaultProbeInterval: Double = 30

    public init(
        name: String, url: String, method: WebhookMethod = .post, headers: [HeaderField] = [], template: TemplateSource,
        successCodes: [Int] = WebhookSettings.defaultSuccessCodes, triggers: [EventKind], enabled: Bool = true,
        retry: RetryPolicy = .standard, maxInFlight: Int = WebhookSettings.defaultMaxInFlight,
        probeInterval: Double = WebhookSettings.defaultProbeInterval, timeouts: WebhookTimeouts = .standard, signing: Bool = true,
        auth: WebhookAuth? = nil, answerRule: AnswerRule? = nil, captures: [AnswerCapture] = [], scope: WebhookScope = .all,
        conditions: [TokenCondition] = [], firstCallOnly: Bool = false, hold: HoldRule? = nil, rateLimit: RateLimit? = nil
    ) {
        self.hold = hold
        self.rateLimit = rateLimit
        self.name = name
        self.url = url
        self.method = method
        self.headers = headers
        self.template = template
        self.successCodes = successCodes
        self.triggers = triggers
        self.enabled = enabled
        self.retry = retry
        self.maxInFlight = maxInFlight
        self.probeInterval = probeInterval
        self.timeouts = timeouts
        self.signing = signing
        self.auth = auth
        self.answerRule = answerRule
        self.captures = captures
        self.scope = scope
        self.conditions = conditions
        self.firstCallOnly = firstCallOnly
    }

    /// Whether an event goes to this webhook: its trigger, scope, conditions and first-call rule.
    public func matches(_ kind: EventKind, values: JSONObject, context: RoutingContext) -> Bool {
        guard enabled, triggers.contains(kind) else { return false }
        if firstCallOnly, kind.subject == .call, values["repeat_caller"]?.integerValue != 0 { return false }
        return scope.admits(kind, context: context, values: values) && conditions.allSatisfy { $0.holds(for: values) }
    }
}

/// The signing secrets of a webhook. After a rotation the previous secret keeps signing until it
/// expires, so receivers can switch over.
public struct WebhookSecrets: Sendable, Hashable, Codable {
    public var current: String
    public var previous: String?
    public var previousExpiresAt: Timestamp?

    public static let rotationOverlap: Double = 86_400

    public init(current: String, previous: String? = nil, previousExpiresAt: Timestamp? = nil) {
        self.current = current
        self.previous = previous
        self.previousExpiresAt = previousExpiresAt
    }

    public static func generate() -> WebhookSecrets { WebhookSecrets(current: StandardWebhooks.generateSecret()) }

    public func rotated(now: Timestamp) -> WebhookSecrets {
        WebhookSecrets(current: StandardWebhooks.generateSecret(), previous: current, previousExpiresAt: now.adding(seconds: Self.rotationOverlap))
    }

    /// The secrets that sign at `now`: the current one, and the previous one during the overlap.
    public func signing(at now: Timestamp) -> [String] {
        guard let previous, let expiry = previousExpiresAt, now < expiry else { return [current] }
        return [current, previous]
    }
}

/// A saved webhook.
public struct Webhook: Sendable, Hashable, Identifiable {
    public var id: String
    public var accountID: String
    public var settings: WebhookSettings
    public var secrets: WebhookSecrets
    public var health: EndpointHealth
    /// What is left of its rate limit; read from the store's row each time, as health is.
    public var rateBucket: RateBucket = .full
    /// Why Hookline disabled the webhook (a 410 answer); cleared when it is enabled again.
    public var disabledReason: String?
    public var createdAt: Timestamp
    public var updatedAt: Timestamp

    public init(
        id: String, accountID: String, settings: WebhookSettings, secrets: WebhookSecrets, health: EndpointHealth = .healthy,
        disabledReason: String? = nil, createdAt: Timestamp, updatedAt: Timestamp
    ) {
        self.id = id
        self.accountID = accountID
        self.settings = settings
        self.secrets = secrets
        self.health = health
        self.disabledReason = disabledReason
        self.createdAt = createdAt
        self.updatedAt = updatedAt
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

extension WebhookSettings {
    /// Settings stored before routing and templates by reference existed hold an inline template
    /// and none of the later fields.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        url = try container.decode(String.self, forKey: .url)
        method = try container.decode(WebhookMethod.self, forKey: .method)
        headers = try container.decode([HeaderField].self, forKey: .headers)
        if let source = try? container.decode(TemplateSource.self, forKey: .template) {
            template = source
        } else {
            template = .inline(try container.decode(Template.self, forKey: .template))
        }
        successCodes = try container.decode([Int].self, forKey: .successCodes)
        triggers = try container.decode([EventKind].self, forKey: .triggers)
        enabled = try container.decode(Bool.self, forKey: .enabled)
        retry = try container.decode(RetryPolicy.self, forKey: .retry)
        maxInFlight = try container.decode(Int.self, forKey: .maxInFlight)
        probeInterval = try container.decode(Double.self, forKey: .probeInterval)
        timeouts = try container.decode(WebhookTimeouts.self, forKey: .timeouts)
        signing = try container.decode(Bool.self, forKey: .signing)
        auth = try container.decodeIfPresent(WebhookAuth.self, forKey: .auth)
        answerRule = try container.decodeIfPresent(AnswerRule.self, forKey: .answerRule)
        captures = try container.decodeIfPresent([AnswerCapture].self, forKey: .captures) ?? []
        scope = try container.decodeIfPresent(WebhookScope.self, forKey: .scope) ?? .all
        conditions = try container.decodeIfPresent([TokenCondition].self, forKey: .conditions) ?? []
        firstCallOnly = try container.decodeIfPresent(Bool.self, forKey: .firstCallOnly) ?? false
        hold = try container.decodeIfPresent(HoldRule.self, forKey: .hold)
        rateLimit = try container.decodeIfPresent(RateLimit.self, forKey: .rateLimit)
    }
}

extension WebhookSettings {
    /// These settings without what authenticates Hookline to the receiver: `auth` and every secret
    /// header.
    public var withoutSecrets: WebhookSettings {
        var settings = self
        settings.auth = nil
        settings.headers = headers.filter { !Redaction.isSecret(headerName: $0.name) }
        return settings
    }
}
