/// How a reported event becomes the values its deliveries render, and which webhooks it goes to:
/// the same on every store engine, which only reads the campaign, location and earlier calls it
/// names.
public enum IngestRules {
    /// The caller's number as kept for repeat-caller lookups: its digits, nil when it has none.
    public static func caller(of values: JSONObject) -> String? {
        values["ani"]?.stringValue.map(Campaign.normalizedNumber).flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Which campaign a new call belongs to: the one the source named, else the one its
    /// tracking number belongs to.
    public enum CampaignLookup: Sendable, Equatable {
        case id(String)
        case trackingNumber(String)
        case none
    }

    public static func campaignLookup(_ given: RoutingContext, values: JSONObject) -> CampaignLookup {
        if let id = given.campaignID { return .id(id) }
        if let number = values["tracking"]?.stringValue { return .trackingNumber(number) }
        return .none
    }

    /// Where a call or lead belongs once its campaign is known: the location the source named,
    /// else the campaign's.
    public static func routing(_ given: RoutingContext, campaign: Campaign?) -> RoutingContext {
        RoutingContext(campaignID: campaign?.id, locationID: given.locationID ?? campaign?.locationID, sourceID: given.sourceID)
    }

    /// The caller whose earlier calls decide `repeat_caller`, when the source did not say.
    public static func repeatCallerLookup(_ given: JSONObject) -> String? {
        guard given["repeat_caller"]?.isNull ?? true else { return nil }
        return caller(of: given)
    }

    /// A new call's values: stamped with its start, enriched with its campaign and location, and
    /// marked a repeat caller when the source did not say and the lookup found an earlier call.
    public static func beginValues(_ given: JSONObject, campaign: Campaign?, location: Location?, received: Timestamp, calledBefore: Bool) -> JSONObject {
        var values = CallEnrichment.enrich(EventKind.callBegin.stamped(given, received: received), campaign: campaign, location: location)
        if values["repeat_caller"]?.isNull ?? true {
            values["repeat_caller"] = calledBefore ? 1 : 0
        }
        return values
    }

    /// A new lead's values: stamped with its creation, enriched with its campaign and location.
    public static func leadValues(_ given: JSONObject, campaign: Campaign?, location: Location?, received: Timestamp) -> JSONObject {
        CallEnrichment.enrich(EventKind.leadCreated.stamped(given, received: received), campaign: campaign, location: location)
    }

    /// A message renders with what is known of its lead.
    public static func messageValues(lead: JSONObject, message: JSONObject) -> JSONObject {
        lead.merging(message)
    }

    /// The webhooks an event is delivered to, of the account's enabled ones, in their order.
    public static func matching(_ webhooks: [Webhook], kind: EventKind, values: JSONObject, routing: RoutingContext) -> [Webhook] {
        webhooks.filter { $0.settings.enabled && $0.settings.matches(kind, values: values, context: routing) }
    }

    /// What a delivery renders with: the event's values and what receivers answered about its call
    /// or lead (a CRM's order_id).
    public static func renderValues(_ values: JSONObject, captured: JSONObject) -> JSONObject {
        captured.isEmpty ? values : values.merging(captured)
    }
}
