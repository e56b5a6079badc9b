import Foundation
import HooklineCore

/// Stored settings before placements kept `scope` as lists (`campaigns`, `dniCampaigns`,
/// `locations`, `treatments`) that all had to match, empty lists meaning every call. Both engines'
/// migrations rewrite each webhook's settings through here, so a deployed webhook sends after the
/// upgrade exactly what it sent before.
enum ScopeMigration {
    /// The settings document with its scope as placements (or `"all"`); `nil` when it has no old
    /// scope to turn.
    static func migrated(_ settings: String) throws -> String? {
        guard case .object(var document) = try JSONParser.parse(settings) else { return nil }
        if let scope = document["scope"], scope.objectValue == nil || scope["placements"] != nil { return nil }
        let old = document["scope"]?.objectValue ?? JSONObject()
        func ids(_ key: String) -> [String] { (old[key]?.arrayValue ?? []).compactMap(\.stringValue) }
        let treatments = (old["treatments"]?.arrayValue ?? []).compactMap { option -> TreatmentOption? in
            guard let question = option["question"]?.stringValue, let response = option["response"]?.stringValue else { return nil }
            return TreatmentOption(question: question, response: response)
        }
        let triggers = (document["triggers"]?.arrayValue ?? []).compactMap { $0.stringValue.flatMap(EventKind.init(rawValue:)) }
        let scope = WebhookScope.converting(
            campaigns: ids("campaigns") + ids("dniCampaigns"), locations: ids("locations"), treatments: treatments, triggers: triggers)
        document["scope"] = try JSONParser.parse(String(decoding: try JSONEncoder().encode(scope), as: UTF8.self))
        return document.jsonText
    }
}
