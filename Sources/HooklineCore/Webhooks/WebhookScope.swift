/// Which calls and leads a webhook is for: every one of the account's (`all`), or those of the
/// places it is enabled on, each at the beginning or the end of the call. An empty list
/// of placements sends nothing: removing a webhook's last placement never widens it.
public enum WebhookScope: Sendable, Hashable {
    case all
    case placements([Placement])

    public var placements: [Placement] {
        if case .placements(let placements) = self { return placements }
        return []
    }

    /// Whether an event of `kind` goes, given where it belongs and what the caller chose. A call
    /// goes at the moments of the placements that match it, once per moment however many match; a
    /// lead goes when a placement's campaign or location matches it (a lead has no treatment).
    public func admits(_ kind: EventKind, context: RoutingContext, values: JSONObject) -> Bool {
        guard case .placements(let placements) = self else { return true }
        let chosen = placements.contains { $0.place.treatment != nil } ? TreatmentOption.chosen(in: values) : []
        return placements.contains { placement in
            guard placement.place.contains(context, chosen: chosen) else { return false }
            switch kind {
            case .callBegin, .callEnd: return placement.moment.trigger == kind
            // What changes after the call goes wherever the call was sent, at either moment.
            case .callUpdated, .callConverted: return true
            case .leadCreated, .leadUpdated, .leadMessage: return placement.place.treatment == nil
            // A channel is never placed: it hears about every webhook of its account.
            case .webhookFailing, .webhookRecovered, .webhookDisabled, .deliveryDead: return true
            }
        }
    }

    /// Whether any placement names the place (to refuse deleting a campaign or location in use).
    public func names(_ reference: PlaceReference) -> Bool {
        placements.contains { $0.place.names(reference) }
    }
}

/// When in a call a placement sends it. Treatment options are known at the end.
public enum CallMoment: String, Sendable, Hashable, Codable, CaseIterable {
    case beginning, end

    public var trigger: EventKind { self == .beginning ? .callBegin : .callEnd }
}

/// A webhook enabled on a place at a moment of the call.
public struct Placement: Sendable, Hashable, Codable {
    public var place: Place
    public var moment: CallMoment

    public init(place: Place, moment: CallMoment) {
        self.place = place
        self.moment = moment
    }
}

/// Where a call belongs: a campaign (offline or DNI), a location, an option of the call treatment,
/// or several of them at once (a campaign's callers who chose Sales), each of which must hold.
public struct Place: Sendable, Hashable, Codable {
    public private(set) var campaign: String?
    public private(set) var location: String?
    public private(set) var treatment: TreatmentOption?

    /// `nil` when no part is given: a place that is everywhere would be `all` in disguise.
    public init?(campaign: String? = nil, location: String? = nil, treatment: TreatmentOption? = nil) {
        guard campaign != nil || location != nil || treatment != nil else { return nil }
        self.campaign = campaign
        self.location = location
        self.treatment = treatment
    }

    public init(_ reference: PlaceReference) {
        switch reference {
        case .campaign(let id): campaign = id
        case .location(let id): location = id
        case .treatment(let option): treatment = option
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let campaign = try container.decodeIfPresent(String.self, forKey: .campaign)
        let location = try container.decodeIfPresent(String.self, forKey: .location)
        let treatment = try container.decodeIfPresent(TreatmentOption.self, forKey: .treatment)
        guard let place = Place(campaign: campaign, location: location, treatment: treatment) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "a place names a campaign, a location or a treatment option"))
        }
        self = place
    }

    public func contains(_ context: RoutingContext, chosen: [TreatmentOption]) -> Bool {
        if let campaign, campaign != context.campaignID { return false }
        if let location, location != context.locationID { return false }
        if let treatment, !chosen.contains(treatment) { return false }
        return true
    }

    public func names(_ reference: PlaceReference) -> Bool {
        switch reference {
        case .campaign(let id): campaign == id
        case .location(let id): location == id
        case .treatment(let option): treatment == option
        }
    }

    /// The moments a webhook may be enabled on here: a treatment option is known at the end.
    public var moments: [CallMoment] { treatment == nil ? CallMoment.allCases : [.end] }
}

/// One place as the API addresses it: `/v1/campaigns/{id}/webhooks` and the like.
public enum PlaceReference: Sendable, Hashable {
    case campaign(String)
    case location(String)
    case treatment(TreatmentOption)
}

/// A question of a call treatment (IVR) and the response the caller pressed.
public struct TreatmentOption: Sendable, Hashable, Codable {
    public var question: String
    public var response: String

    public init(question: String, response: String) {
        self.question = question
        self.response = response
    }

    /// What the caller chose, from a call's `prompt_responses` (known once the call ends).
    static func chosen(in values: JSONObject) -> [TreatmentOption] {
        (values["prompt_responses"]?.arrayValue ?? []).compactMap { response in
            guard let question = response["question"], let answer = response["response"] else { return nil }
            return TreatmentOption(question: TemplateText.text(of: question), response: TemplateText.text(of: answer))
        }
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

extension WebhookScope {
    /// At most this many placements on one webhook: each is checked on every event.
    public static let maximumPlacements = 1_000
}

/// Stored as `"all"` or `{"placements": […]}`.
extension WebhookScope: Codable {
    private enum CodingKeys: String, CodingKey { case placements }

    public init(from decoder: any Decoder) throws {
        if let name = try? decoder.singleValueContainer().decode(String.self), name == "all" {
            self = .all
            return
        }
        self = .placements(try decoder.container(keyedBy: CodingKeys.self).decode([Placement].self, forKey: .placements))
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .all:
            var container = encoder.singleValueContainer()
            try container.encode("all")
        case .placements(let placements):
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(placements, forKey: .placements)
        }
    }
}
