import HooklineCore
import Testing

@Suite struct RoutingTests {
    static func settings(
        scope: WebhookScope = .all, conditions: [TokenCondition] = [], firstCallOnly: Bool = false, triggers: [EventKind] = [.callBegin, .callEnd]
    ) -> WebhookSettings {
        WebhookSettings(
            name: "w", url: "http://x.example/", template: .inline(Template(format: .json, body: "{}")), triggers: triggers, scope: scope,
            conditions: conditions, firstCallOnly: firstCallOnly)
    }

    @Test func placementsOnCampaignsAndLocationsNarrowAWebhook() {
        func at(_ campaign: String? = nil, _ location: String? = nil) -> Placement {
            Placement(place: Place(campaign: campaign, location: location)!, moment: .beginning)
        }
        let placed = Self.settings(scope: .placements([at("cmp_a"), at("cmp_d"), at(nil, "loc_1")]))
        #expect(placed.matches(.callBegin, values: [:], context: RoutingContext(campaignID: "cmp_a")))
        #expect(placed.matches(.callBegin, values: [:], context: RoutingContext(campaignID: "cmp_d")))
        #expect(placed.matches(.callBegin, values: [:], context: RoutingContext(campaignID: "cmp_b", locationID: "loc_1")))
        #expect(!placed.matches(.callBegin, values: [:], context: RoutingContext(campaignID: "cmp_b", locationID: "loc_2")))
        #expect(!placed.matches(.callBegin, values: [:], context: RoutingContext()))
        #expect(Self.settings().matches(.callBegin, values: [:], context: RoutingContext()))
        #expect(!Self.settings().matches(.leadCreated, values: [:], context: RoutingContext()))
    }

    @Test func treatmentOptionsMatchWhatTheCallerPressed() {
        let sales = Self.settings(scope: .placements([Placement(place: Place(.treatment(TreatmentOption(question: "Department", response: "Sales"))), moment: .end)]))
        let pressedSales: JSONObject = ["prompt_responses": [["question": "Language", "response": "1"], ["question": "Department", "response": "Sales"]]]
        let pressedService: JSONObject = ["prompt_responses": [["question": "Department", "response": "Service"]]]
        #expect(sales.matches(.callEnd, values: pressedSales, context: RoutingContext()))
        #expect(!sales.matches(.callEnd, values: pressedService, context: RoutingContext()))
        #expect(!sales.matches(.callBegin, values: pressedSales, context: RoutingContext()))
    }

    @Test func conditionsOnTokens() {
        let values: JSONObject = ["dialstatus": "ANSWER", "answered_time": 45, "call_end_time": "2019-03-28T00:05:30.000Z", "ani": "7776734736"]
        func holds(_ token: String, _ op: TokenCondition.Operation, _ value: JSONValue?) -> Bool {
            TokenCondition(token: token, operation: op, value: value).holds(for: values)
        }
        #expect(holds("dialstatus", .in, ["ANSWER", "BUSY"]))
        #expect(!holds("dialstatus", .in, ["NOANSWER"]))
        #expect(holds("answered_time", .atLeast, 30) && !holds("answered_time", .atLeast, 46))
        #expect(holds("answered_time", .atMost, 45.0) && !holds("answered_time", .atMost, 44))
        #expect(holds("answered_time", .equals, 45.0) && holds("dialstatus", .notEquals, "BUSY"))
        #expect(holds("call_end_time", .atLeast, "2019-03-28T00:00:00Z"))
        #expect(holds("ani", .exists, nil) && !holds("gclid", .exists, nil))
        #expect(!holds("gclid", .atLeast, 1))
        let settings = Self.settings(conditions: [TokenCondition(token: "dialstatus", operation: .in, value: ["ANSWER"]), TokenCondition(token: "answered_time", operation: .atLeast, value: 30)])
        #expect(settings.matches(.callEnd, values: values, context: RoutingContext()))
        #expect(!settings.matches(.callEnd, values: values.merging(["answered_time": 10]), context: RoutingContext()))
    }

    @Test func firstCallOnlyLetsOnlyAFirstCallThrough() {
        let first = Self.settings(firstCallOnly: true, triggers: [.callBegin, .leadCreated])
        #expect(first.matches(.callBegin, values: ["repeat_caller": 0], context: RoutingContext()))
        #expect(!first.matches(.callBegin, values: ["repeat_caller": 1], context: RoutingContext()))
        #expect(first.matches(.leadCreated, values: [:], context: RoutingContext()))
    }

    @Test func aCampaignFillsWhatTheSourceDidNotSend() {
        let campaign = Campaign(
            id: "cmp_1", accountID: "a", name: "Radio spring", kind: .offline, tags: ["Region": "south"], locationID: "loc_1", trackingNumbers: ["7774839229"],
            createdAt: .now, updatedAt: .now)
        let location = Location(id: "loc_1", accountID: "a", values: ["location_name": "Main St", "location_address_city": "Los Angeles"], createdAt: .now, updatedAt: .now)
        let enriched = CallEnrichment.enrich(["ani": "1", "location_name": "Sent by source"], campaign: campaign, location: location)
        #expect(enriched == ["ani": "1", "location_name": "Sent by source", "campaign_name": "Radio spring", "tags": ["Region": "south"], "location_address_city": "Los Angeles"])
        #expect(Campaign.normalizedNumber("+1 (777) 483-9229") == "17774839229")
    }

}

@Suite struct AnswerTests {
    @Test func pathsReadDocuments() throws {
        let document = try JSONParser.parse(#"{"status": "ok", "data": {"ids": [7, 8], "odd key": true}}"#)
        #expect(try JSONPath(parsing: "$.status").value(in: document) == "ok")
        #expect(try JSONPath(parsing: "data.ids[1]").value(in: document) == 8)
        #expect(try JSONPath(parsing: "$.data['odd key']").value(in: document) == true)
        #expect(try JSONPath(parsing: "$.missing").value(in: document) == nil)
        for bad in ["", "$", "$..a", "$.a[", "$.a[x]", "a b"] {
            #expect(throws: JSONPath.ParseError.self) { try JSONPath(parsing: bad) }
        }
    }

    @Test func onlyTheRequiredAnswerCounts() throws {
        let rule = AnswerRule(path: try JSONPath(parsing: "$.status"), equals: "ok")
        #expect(rule.problem(with: try JSONParser.parse(#"{"status":"ok","order_id":"D-1"}"#)) == nil)
        #expect(rule.problem(with: try JSONParser.parse(#"{"status":"error"}"#)) == #"the answer has $.status = "error", expected "ok""#)
        #expect(rule.problem(with: nil) != nil)
        let captures = [AnswerCapture(path: try JSONPath(parsing: "$.order_id"), token: "order_id")]
        #expect(AnswerCapture.values(captures, from: try JSONParser.parse(#"{"order_id": 123}"#)) == ["order_id": 123])
        #expect(AnswerCapture.values(captures, from: try JSONParser.parse(#"{"order_id": "D-1"}"#)) == ["order_id": "D-1"])
        #expect(AnswerCapture.values(captures, from: try JSONParser.parse(#"{"order_id": {"x": 1}}"#)).isEmpty)
    }
}

@Suite struct TemplateExtractionTests {
    @Test func extractsJSONFieldsAndBuildsTheSameTemplateAsByHand() throws {
        let example = #"{"first": "Freddy", "last": "Krueger", "phone": "7776734736", "meta": {"source": "web", "n": 1}, "list": [], "pct": "50%"}"#
        let fields = try TemplateExtraction.fields(of: example, format: .json)
        #expect(fields.map(\.path) == ["$.first", "$.last", "$.phone", "$.meta.source", "$.meta.n", "$.list", "$.pct"])
        #expect(fields[4].sample == 1)
        let built = try TemplateExtraction.template(
            fromExample: example, format: .json, mapping: [("$.first", "ani_first_name"), ("$.last", "ani_last_name"), ("$.phone", "ani")])
        let byHand = Template(format: .json, body: #"{"first": "%ani_first_name%", "last": "%ani_last_name%", "phone": "%ani%", "meta": {"source": "web", "n": 1}, "list": [], "pct": "50%%"}"#)
        let values = TokenCatalogue.standard.exampleValues
        #expect(try built.compile().render(values) == byHand.compile().render(values))
    }

    @Test func extractsXMLFieldsAndBuildsTheSameTemplateAsByHand() throws {
        let example = #"<?xml version="1.0"?><lead id="1"><name>Freddy &amp; co</name><phone type="mobile">7776734736</phone><item>a</item><item>b</item></lead>"#
        let fields = try TemplateExtraction.fields(of: example, format: .xml)
        #expect(fields.map(\.path) == ["/lead/@id", "/lead/name", "/lead/phone/@type", "/lead/phone", "/lead/item[1]", "/lead/item[2]"])
        #expect(fields[1].sample == "Freddy & co")
        let built = try TemplateExtraction.template(
            fromExample: example, format: .xml, mapping: [("/lead/@id", "callid"), ("/lead/phone", "ani"), ("/lead/item[2]", "ani_city")])
        let byHand = Template(format: .xml, body: #"<?xml version="1.0"?><lead id="%callid%"><name>Freddy &amp; co</name><phone type="mobile">%ani%</phone><item>a</item><item>%ani_city%</item></lead>"#)
        let values = TokenCatalogue.standard.exampleValues
        #expect(try built.compile().render(values) == byHand.compile().render(values))
    }

    @Test func refusesUnknownPathsAndTokens() {
        #expect(throws: FieldError.self) { try TemplateExtraction.template(fromExample: #"{"a": 1}"#, format: .json, mapping: [("$.b", "ani")]) }
        #expect(throws: FieldError.self) { try TemplateExtraction.template(fromExample: #"{"a": 1}"#, format: .json, mapping: [("$.a", "anni")]) }
        #expect(throws: TemplateError.self) { try TemplateExtraction.fields(of: "<a>", format: .xml) }
    }
}
