/// Which calls a webhook is for, in the terms call tracking is organised by: the campaigns
/// (offline or DNI) the call came through, the location it belongs to, and the call-treatment
/// options the caller chose. An empty list does not narrow; lists that are set must all match.
public struct WebhookScope: Sendable, Hashable, Codable {
    public var campaigns: [String]
    public var dniCampaigns: [String]
    public var locations: [String]
    public var treatments: [TreatmentOption]

    public static let everything = WebhookScope(campaigns: [], dniCampaigns: [], locations: [], treatments: [])

    public init(campaigns: [String], dniCampaigns: [String], locations: [String], treatments: [TreatmentOption]) {
        self.campaigns = campaigns
        self.dniCampaigns = dniCampaigns
        self.locations = locations
        self.treatments = treatments
    }

    public var isEverything: Bool { self == .everything }

    /// Treatment options are known once the call ends (`prompt_responses`), so a webhook scoped to
    /// them matches no call's begin.
    public func admits(_ context: RoutingContext, values: JSONObject) -> Bool {
        let campaignScope = campaigns + dniCampaigns
        if !campaignScope.isEmpty {
            guard let campaign = context.campaignID, campaignScope.contains(campaign) else { return false }
        }
        if !locations.isEmpty {
            guard let location = context.locationID, locations.contains(location) else { return false }
        }
        if !treatments.isEmpty {
            let responses = values["prompt_responses"]?.arrayValue ?? []
            let chosen = responses.compactMap { response -> TreatmentOption? in
                guard let question = response["question"], let answer = response["response"] else { return nil }
                return TreatmentOption(question: TemplateText.text(of: question), response: TemplateText.text(of: answer))
            }
            guard treatments.contains(where: chosen.contains) else { return false }
        }
        return true
    }
}

/// A question of a call treatment (IVR) and the response the caller pressed.
public struct TreatmentOption: Sendable, Hashable, Codable {
    public var question: String
    public var response: String

    public init(question: String, response: String) {
        self.question = question
        self.response = response
    }
}

/// Where an event belongs, resolved at ingest from what the source sent and the tracking number.
public struct RoutingContext: Sendable, Hashable {
    public var campaignID: String?
    public var locationID: String?
    /// The source whose provider reported the call or lead, when one did.
    public var sourceID: String?

    public init(campaignID: String? = nil, locationID: String? = nil, sourceID: String? = nil) {
        self.campaignID = campaignID
        self.locationID = locationID
        self.sourceID = sourceID
    }
}

/// A condition on a token's value: `dialstatus in [ANSWER]`, `answered_time >= 30`.
public struct TokenCondition: Sendable, Hashable, Codable {
    public enum Operation: String, Sendable, Hashable, Codable, CaseIterable {
        case equals, notEquals = "not_equals", `in`, atLeast = "gte", atMost = "lte", exists
    }

    public var token: String
    public var operation: Operation
    /// Absent for `exists`; an array for `in`.
    public var value: JSONValue?

    public init(token: String, operation: Operation, value: JSONValue? = nil) {
        self.token = token
        self.operation = operation
        self.value = value
    }

    public func holds(for values: JSONObject) -> Bool {
        let actual = values[token] ?? .null
        switch operation {
        case .exists: return !actual.isNull
        case .equals: return Self.same(actual, value ?? .null)
        case .notEquals: return !Self.same(actual, value ?? .null)
        case .in: return (value?.arrayValue ?? []).contains { Self.same(actual, $0) }
        case .atLeast: return Self.compare(actual, value ?? .null).map { $0 >= 0 } ?? false
        case .atMost: return Self.compare(actual, value ?? .null).map { $0 <= 0 } ?? false
        }
    }

    /// Numbers compare as numbers (so `1` equals `1.0`), everything else as its text.
    static func same(_ lhs: JSONValue, _ rhs: JSONValue) -> Bool {
        if lhs.isNull || rhs.isNull { return lhs.isNull && rhs.isNull }
        if let left = lhs.numberValue, let right = rhs.numberValue { return left == right }
        return TemplateText.text(of: lhs) == TemplateText.text(of: rhs)
    }

    /// Numbers, or timestamps, in order; `nil` when they do not compare.
    static func compare(_ lhs: JSONValue, _ rhs: JSONValue) -> Int? {
        if let left = lhs.numberValue, let right = rhs.numberValue { return left < right ? -1 : left > right ? 1 : 0 }
        if let left = lhs.stringValue.flatMap(Timestamp.init(parsing:)), let right = rhs.stringValue.flatMap(Timestamp.init(parsing:)) {
            return left < right ? -1 : left > right ? 1 : 0
        }
        return nil
    }
}
