import Foundation
import HooklineCore
@testable import HooklineServer
import Testing

/// Seed 004's placements: a webhook enabled per place at a moment of the call.
@Suite struct WebhookPlacementTests {
    static let settings = try! WebhookSettings(
        json: ["name": "CRM", "url": "https://crm.example.com/hook", "triggers": ["call.begin"], "template": ["format": "json", "body": #"{"id": "%callid%"}"#]])
    static let sales = TreatmentOption(question: "Department", response: "Sales")
    static let pressedSales: JSONObject = ["prompt_responses": [["question": "Department", "response": "Sales"]]]

    /// The moments at which a call of `campaign` (with `values`) is sent.
    static func moments(_ settings: WebhookSettings, campaign: String?, location: String? = nil, values: JSONObject = [:]) -> [CallMoment] {
        CallMoment.allCases.filter { settings.matches($0.trigger, values: values, context: RoutingContext(campaignID: campaign, locationID: location)) }
    }

    @Test func twoCampaignsKeepTheirOwnMoments() throws {
        let placed = try Self.settings.placing(Placement(place: Place(.campaign("radio")), moment: .beginning))
            .placing(Placement(place: Place(.campaign("tv")), moment: .end))
        #expect(placed.triggers == [.callBegin, .callEnd])
        #expect(Self.moments(placed, campaign: "radio") == [.beginning])
        #expect(Self.moments(placed, campaign: "tv") == [.end])
        #expect(Self.moments(placed, campaign: "print") == [])
        #expect(Self.moments(placed, campaign: nil) == [])
        // Both moments on one campaign, placed twice: still once per moment.
        let both = try placed.placing(Placement(place: Place(.campaign("radio")), moment: .end)).placing(Placement(place: Place(.campaign("radio")), moment: .end))
        #expect(both.scope.placements.count == 3 && Self.moments(both, campaign: "radio") == [.beginning, .end])
    }

    @Test func aCampaignAndATreatmentOptionTogether() throws {
        let placed = try Self.settings.placing(Placement(place: Place(.campaign("radio")), moment: .beginning))
            .placing(Placement(place: Place(.treatment(Self.sales)), moment: .end))
        #expect(Self.moments(placed, campaign: "radio") == [.beginning])
        #expect(Self.moments(placed, campaign: "radio", values: Self.pressedSales) == [.beginning, .end])
        #expect(Self.moments(placed, campaign: "tv", values: Self.pressedSales) == [.end])
        #expect(Self.moments(placed, campaign: "tv", values: ["prompt_responses": [["question": "Department", "response": "Service"]]]) == [])
        // A place of several parts needs them all: Radio's callers who chose Sales.
        let narrow = try Self.settings.placing(Placement(place: Place(campaign: "radio", treatment: Self.sales)!, moment: .end))
        #expect(Self.moments(narrow, campaign: "radio", values: Self.pressedSales) == [.end])
        #expect(Self.moments(narrow, campaign: "tv", values: Self.pressedSales) == [] && Self.moments(narrow, campaign: "radio") == [])
    }

    @Test func aWebhookHasAtMostAThousandPlacements() throws {
        var settings = Self.settings
        settings.scope = .placements((0..<WebhookScope.maximumPlacements).map { Placement(place: Place(.campaign("c\($0)")), moment: .end) })
        #expect(throws: FieldError.self) { try settings.placing(Placement(place: Place(.campaign("one more")), moment: .end)) }
        #expect(try settings.placing(Placement(place: Place(.campaign("c7")), moment: .end)).scope == settings.scope)
    }

    @Test func removingNeverWidens() throws {
        let all = Self.settings
        #expect(all.scope == .all && Self.moments(all, campaign: "anything") == [.beginning])
        let radio = try all.placing(Placement(place: Place(.campaign("radio")), moment: .beginning))
        #expect(Self.moments(radio, campaign: "anything") == [] && Self.moments(radio, campaign: "radio") == [.beginning])
        let none = radio.removingPlacements(at: .campaign("radio"))
        #expect(none.scope == .placements([]) && Self.moments(none, campaign: "radio") == [] && Self.moments(none, campaign: nil) == [])
        #expect(!none.matches(.leadCreated, values: [:], context: RoutingContext()))
        // One moment of two.
        let both = try radio.placing(Placement(place: Place(.campaign("radio")), moment: .end))
        #expect(Self.moments(both.removingPlacements(at: .campaign("radio"), moment: .beginning), campaign: "radio") == [.end])
        // Removing a place it is not on changes nothing; an every-call webhook has none to remove.
        #expect(both.removingPlacements(at: .campaign("tv")) == both && all.removingPlacements(at: .campaign("radio")) == all)
    }

    @Test func leadsFollowCampaignAndLocationPlacementsNeverTreatments() throws {
        var settings = Self.settings
        settings.triggers = [.leadCreated, .callEnd]
        let placed = try settings.placing(Placement(place: Place(.campaign("web")), moment: .end)).placing(Placement(place: Place(.treatment(Self.sales)), moment: .end))
        #expect(placed.matches(.leadCreated, values: [:], context: RoutingContext(campaignID: "web")))
        #expect(!placed.matches(.leadCreated, values: Self.pressedSales, context: RoutingContext(campaignID: "radio")))
    }

    /// Every old list scope, under the old rule (each list that is set must match), against its
    /// conversion, for every kind of event on a grid of calls and leads.
    @Test func convertedListScopesSendWhatTheyDid() throws {
        let campaigns = [[], ["c1"], ["c1", "c2"]], locations = [[], ["l1"]], treatments = [[], [Self.sales]]
        let triggerSets: [[EventKind]] = [[.callBegin], [.callEnd], [.callBegin, .callEnd], [.leadCreated], [.callBegin, .callEnd, .leadCreated, .leadMessage]]
        let contexts = [nil, "c1", "c2", "c3"].flatMap { campaign in [nil, "l1", "l2"].map { RoutingContext(campaignID: campaign, locationID: $0) } }
        let valueSets: [JSONObject] = [[:], Self.pressedSales]
        var compared = 0
        for c in campaigns { for l in locations { for t in treatments { for triggers in triggerSets {
            let scope = WebhookScope.converting(campaigns: c, locations: l, treatments: t, triggers: triggers)
            var settings = Self.settings
            settings.triggers = triggers
            settings.scope = scope
            for context in contexts { for values in valueSets { for kind in EventKind.allCases {
                // Only a call's end carries what the caller chose (`prompt_responses` is a call-end token).
                let given = kind == .callEnd ? values : [:]
                let chosen = (given["prompt_responses"]?.arrayValue ?? []).isEmpty ? [] : [Self.sales]
                let old = triggers.contains(kind) && (c.isEmpty || context.campaignID.map(c.contains) == true)
                    && (l.isEmpty || context.locationID.map(l.contains) == true) && (t.isEmpty || t.contains(where: chosen.contains))
                #expect(settings.matches(kind, values: given, context: context) == old, "\(c) \(l) \(t) \(triggers) \(context) \(kind)")
                compared += 1
            } } }
        } } } }
        #expect(compared > 4_000)
        #expect(WebhookScope.converting(campaigns: [], locations: [], treatments: [], triggers: [.callEnd]) == .all)
    }

    @Test func readsAndWritesPlacementsNamingTheFieldAtFault() throws {
        let base = WebhookBodyTests.base
        func error(_ extra: JSONObject) -> FieldError? { WebhookBodyTests.error(extra) }
        #expect(error(["scope": "some"])?.field == "scope")
        #expect(error(["scope": .null])?.field == "scope")
        #expect(error(["placements": .null])?.field == "placements")
        // Both of the document's shapes at once: unusable (422), not malformed.
        #expect(error(["scope": "all", "placements": [["campaign": "c", "moment": "end"]]])?.kind == .unusable)
        #expect(error(["scope": ["campaigns": ["c"]], "placements": [["campaign": "c", "moment": "end"]]])?.kind == .unusable)
        #expect(error(["placements": [["moment": "end"]]])?.field == "placements[0]")
        #expect(error(["placements": [["campaign": "c"]]])?.field == "placements[0].moment")
        #expect(error(["placements": [["campaign": "c", "moment": "middle"]]])?.field == "placements[0].moment")
        #expect(error(["placements": [["campaign": "c/d", "moment": "end"]]])?.field == "placements[0].campaign")
        #expect(error(["placements": [["campaign": .null, "location": "l", "moment": "end"]]])?.field == "placements[0].campaign")
        #expect(error(["placements": [["treatment": ["question": "Q", "response": "A"], "moment": "beginning"]]])?.kind == .unusable)
        #expect(error(["placements": [["treatment": ["question": "Q\u{7}", "response": "A"], "moment": "end"]]])?.field == "placements[0].treatment.question")
        #expect(error(["placements": [["treatment": ["question": .string(String(repeating: "e\u{301}", count: 101)), "response": "A"], "moment": "end"]]])?.field == "placements[0].treatment.question")
        #expect(error(["placements": [["city": "x", "moment": "end"]]])?.field == "placements[0].city")
        #expect(error(["placements": .array(Array(repeating: ["campaign": "c", "moment": "end"], count: 1_001))])?.field == "placements")
        let read = try WebhookSettings(json: .object(base.merging(["placements": [["campaign": "c", "moment": "beginning"], ["campaign": "c", "moment": "beginning"], ["location": "l", "treatment": ["question": " Q ", "response": "A"], "moment": "end"]]])))
        #expect(read.scope.placements.count == 2 && read.json["scope"] == "placements")
        #expect(read.json["placements"] == [["campaign": "c", "moment": "beginning"], ["location": "l", "treatment": ["question": "Q", "response": "A"], "moment": "end"]])
        #expect(try WebhookSettings(json: .object(read.json)) == read)
        // A change that leaves scope and placements out keeps them; "all" clears them.
        #expect(try WebhookSettings(json: ["name": "renamed"], updating: read).scope == read.scope)
        #expect(try WebhookSettings(json: ["scope": "all"], updating: read).scope == .all)
        #expect(try WebhookSettings(json: ["scope": "placements"], updating: WebhookSettings(json: .object(base))).scope == .placements([]))
        // Stored and read back.
        let stored = try JSONDecoder().decode(WebhookSettings.self, from: JSONEncoder().encode(read))
        #expect(stored == read)
    }
}
