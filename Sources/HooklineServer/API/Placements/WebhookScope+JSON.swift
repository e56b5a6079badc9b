import Foundation
import HooklineCore

/// A webhook's scope as the API reads and shows it: `"scope": "all"`, or `"scope": "placements"`
/// with `"placements": [{"campaign": "cmp_1", "moment": "beginning"}, …]`. The old object of lists
/// (`{"campaigns": […], "locations": […]}`) is still read, as the placements that send the same.
extension WebhookScope {
    static func read(
        scope: JSONValue?, placements: JSONValue?, triggers: [EventKind], base: WebhookScope?
    ) throws(FieldError) -> WebhookScope {
        let givenPlacements = placements
        switch scope {
        case .some(.object(let lists)):
            if givenPlacements != nil {
                throw FieldError("placements", "give placements with \"scope\": \"placements\", or the old scope object of lists, not both", kind: .unusable)
            }
            return try readLists(lists, triggers: triggers)
        case .some(.string("all")):
            if let array = givenPlacements?.arrayValue, !array.isEmpty {
                throw FieldError("placements", "a webhook sent for every call has no placements; set \"scope\" to \"placements\"", kind: .unusable)
            }
            return .all
        case .some(.string("placements")):
            return .placements(try givenPlacements.map(readPlacements) ?? base?.placements ?? [])
        case .none:
            if let givenPlacements { return .placements(try readPlacements(givenPlacements)) }
            return base ?? .all
        case .some:
            throw FieldError("scope", "must be \"all\" (every call and lead) or \"placements\" (where the placements say)")
        }
    }

    static func readPlacements(_ value: JSONValue) throws(FieldError) -> [Placement] {
        guard let array = value.arrayValue else {
            throw FieldError("placements", "must be an array of {\"campaign\" | \"location\" | \"treatment\", \"moment\"}")
        }
        guard array.count <= maximumPlacements else { throw FieldError("placements", "at most \(maximumPlacements) placements") }
        var placements: [Placement] = []
        for (index, element) in array.enumerated() {
            let placement = try Placement(json: element, field: "placements[\(index)]")
            if !placements.contains(placement) { placements.append(placement) }
        }
        return placements
    }

    /// The old `{"campaigns", "dni_campaigns", "locations", "treatments"}`: lists that are set
    /// must all match.
    static func readLists(_ object: JSONObject, triggers: [EventKind]) throws(FieldError) -> WebhookScope {
        _ = try ObjectReader(
            .object(object), at: "scope", fields: ["campaigns", "dni_campaigns", "locations", "treatments"],
            subject: "a scope (\"all\", \"placements\", or the old object)")
        func ids(_ key: String) throws(FieldError) -> [String] {
            guard let value = object[key], !value.isNull else { return [] }
            guard let array = value.arrayValue else { throw FieldError("scope.\(key)", "must be an array of ids") }
            var ids: [String] = []
            for (index, element) in array.enumerated() {
                let id = try Placement.readID(element, field: "scope.\(key)[\(index)]")
                if !ids.contains(id) { ids.append(id) }
            }
            return ids
        }
        var treatments: [TreatmentOption] = []
        if let value = object["treatments"], !value.isNull {
            guard let array = value.arrayValue else { throw FieldError("scope.treatments", "must be an array of {\"question\", \"response\"}") }
            for (index, element) in array.enumerated() {
                treatments.append(try TreatmentOption(json: element, field: "scope.treatments[\(index)]"))
            }
        }
        let scope = converting(campaigns: try ids("campaigns") + ids("dni_campaigns"), locations: try ids("locations"), treatments: treatments, triggers: triggers)
        guard scope.placements.count <= maximumPlacements else {
            throw FieldError("scope", "these lists make more than \(maximumPlacements) placements")
        }
        return scope
    }

    var jsonName: JSONValue {
        switch self {
        case .all: "all"
        case .placements: "placements"
        }
    }
}

extension Placement {
    init(json value: JSONValue, field: String) throws(FieldError) {
        let object = try ObjectReader(value, at: field, fields: ["campaign", "location", "treatment", "moment"], subject: "a placement").object
        let campaign = try object["campaign"].map { (value) throws(FieldError) in try Self.readID(value, field: "\(field).campaign") }
        let location = try object["location"].map { (value) throws(FieldError) in try Self.readID(value, field: "\(field).location") }
        let treatment = try object["treatment"].map { (value) throws(FieldError) in
            try TreatmentOption(json: value, field: "\(field).treatment")
        }
        guard let place = Place(campaign: campaign, location: location, treatment: treatment) else {
            throw FieldError(field, "name a campaign, a location or a treatment option")
        }
        self.init(place: place, moment: try Self.readMoment(object["moment"], place: place, field: "\(field).moment"))
    }

    /// `absent` stands for a moment not given; without it, one is required.
    static func readMoment(_ value: JSONValue?, place: Place, field: String, absent: CallMoment? = nil) throws(FieldError) -> CallMoment {
        guard let value else {
            if let absent { return absent }
            throw FieldError(field, "is required: \"beginning\" or \"end\" of the call")
        }
        guard let moment = value.stringValue.flatMap(CallMoment.init(rawValue:)) else {
            throw FieldError(field, "must be \"beginning\" or \"end\" of the call")
        }
        guard place.moments.contains(moment) else {
            throw FieldError(field, "a treatment option is known once the call ends: its webhooks go at the end", kind: .unusable)
        }
        return moment
    }

    /// An id as a path names it: the rule of calls' and leads' ids.
    static func readID(_ value: JSONValue, field: String) throws(FieldError) -> String {
        guard value.stringValue != nil, let id = SubjectKind.id(value) else { throw FieldError(field, "must be an id: \(SubjectKind.idRule)") }
        return id
    }

    var json: JSONObject {
        var object = JSONObject()
        if let campaign = place.campaign { object["campaign"] = .string(campaign) }
        if let location = place.location { object["location"] = .string(location) }
        if let treatment = place.treatment { object["treatment"] = ["question": .string(treatment.question), "response": .string(treatment.response)] }
        object["moment"] = .string(moment.rawValue)
        return object
    }
}

extension TreatmentOption {
    /// A question and a response as text a person typed: at most 200 characters each, no control
    /// characters.
    init(json value: JSONValue, field: String) throws(FieldError) {
        let object = try ObjectReader(value, at: field, fields: ["question", "response"], subject: "a treatment option").object
        self.init(question: try Self.readText(object["question"], field: "\(field).question"), response: try Self.readText(object["response"], field: "\(field).response"))
    }

    static func readText(_ value: JSONValue?, field: String) throws(FieldError) -> String {
        guard let given = value?.stringValue else { throw FieldError(field, "is required: text such as Department or Sales") }
        guard given.unicodeScalars.count <= 200, !given.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw FieldError(field, "must be at most 200 characters without control characters")
        }
        let text = given.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw FieldError(field, "is required: text such as Department or Sales") }
        return text
    }
}
