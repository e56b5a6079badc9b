import HooklineCore
import HooklineStore

/// What a test send or a preview renders with: the catalogue's example values, or the values of
/// one of the account's calls or leads (with what answers captured); and for which kind of event.
struct TrialValues {
    let store: any Store

    struct Trial {
        var kind: EventKind
        var values: JSONObject
        var subjectID: String
    }

    /// `kind`, `callID` and `leadID` as given (JSON values of the API's body or a page's fields);
    /// mistakes name those fields.
    func resolve(webhook: Webhook, kind given: JSONValue?, callID: JSONValue?, leadID: JSONValue?) async throws -> Trial {
        var trial = Trial(kind: webhook.settings.triggers[0], values: TokenCatalogue.standard.exampleValues, subjectID: "test")
        if let value = given {
            guard let name = value.stringValue, let kind = EventKind(rawValue: name), EventKind.reported.contains(kind) else {
                throw FieldError("kind", "must be one of \(EventKind.reported.map(\.rawValue).joined(separator: ", "))")
            }
            trial.kind = kind
        }
        if let value = callID {
            guard let id = value.stringValue, let call = try await store.call(id: id, accountID: webhook.accountID) else {
                throw FieldError("call_id", "no call \(Echo.quoted(value.stringValue ?? value.jsonText)) in this account", kind: .unusable)
            }
            trial.values = call.values.merging(call.captured)
            trial.subjectID = id
            if given == nil { trial.kind = call.endedAt == nil ? .callBegin : .callEnd }
        } else if let value = leadID {
            guard let id = value.stringValue, let lead = try await store.lead(id: id, accountID: webhook.accountID) else {
                throw FieldError("lead_id", "no lead \(Echo.quoted(value.stringValue ?? value.jsonText)) in this account", kind: .unusable)
            }
            trial.values = lead.values.merging(lead.captured)
            trial.subjectID = id
            if given == nil { trial.kind = .leadCreated }
        }
        if let choice = webhook.settings.template.presetChoice, choice.preset?.supportedTriggers.contains(trial.kind) == false {
            throw FieldError("kind", "preset \(choice.name) has no payload for \(trial.kind.rawValue)", kind: .unusable)
        }
        return trial
    }
}
