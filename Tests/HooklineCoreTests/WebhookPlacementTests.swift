import HooklineCore
import Testing

@Suite struct WebhookPlacementTests {
    static let settings = try! WebhookSettings(
        json: ["name": "CRM", "url": "https://crm.example.com/hook", "triggers": ["call.begin"], "template": ["format": "json", "body": #"{"id": "%callid%"}"#]])

    static func campaign(_ id: String, _ kind: CampaignKind) -> Campaign {
        Campaign(id: id, accountID: "acc", name: id, kind: kind, tags: [:], locationID: nil, trackingNumbers: [], createdAt: .now, updatedAt: .now)
    }

    @Test func enablingOnCampaignsScopesTheWebhookToThemAndAddsTheMoment() {
        let offline = Self.settings.enabled(onCampaign: Self.campaign("cmp_a", .offline), at: .end)
        #expect(offline.scope.campaigns == ["cmp_a"] && offline.triggers == [.callBegin, .callEnd])
        let both = offline.enabled(onCampaign: Self.campaign("cmp_b", .dni), at: .beginning).enabled(onCampaign: Self.campaign("cmp_a", .offline), at: .end)
        #expect(both.scope.campaigns == ["cmp_a"] && both.scope.dniCampaigns == ["cmp_b"] && both.triggers == [.callBegin, .callEnd])
        let a = RoutingContext(campaignID: "cmp_a")
        #expect(both.scope.admits(a, values: [:]) && !both.scope.admits(RoutingContext(campaignID: "cmp_c"), values: [:]))
        let neither = both.disabled(onCampaign: "cmp_a").disabled(onCampaign: "cmp_b")
        #expect(neither.scope.isEverything)
    }

    @Test func enablingOnATreatmentOptionSendsAtTheEndForCallersWhoChoseIt() {
        let sales = TreatmentOption(question: "Department", response: "Sales")
        let settings = Self.settings.enabled(onTreatment: sales)
        #expect(settings.scope.treatments == [sales] && settings.triggers.contains(.callEnd))
        let chose: JSONObject = ["prompt_responses": [["question": "Department", "response": "Sales"]]]
        let other: JSONObject = ["prompt_responses": [["question": "Department", "response": "Parts"]]]
        #expect(settings.scope.admits(RoutingContext(), values: chose) && !settings.scope.admits(RoutingContext(), values: other))
        #expect(settings.disabled(onTreatment: sales).scope.isEverything)
    }
}
