import HooklineCore
import HooklineStore

/// Enabling the account's webhooks on its places and removing them there, for the API and the
/// pages alike. The rules are Core's (`WebhookSettings.placing`, `removingPlacements`); this checks
/// that the place and the webhook are the account's and has the store apply the change atomically.
struct WebhookPlacements {
    let store: any Store

    /// A webhook enabled on a place, as listed for the place or the webhook.
    struct Entry {
        var webhook: Webhook
        var placement: Placement
    }

    /// Throws `notFound` when the account has no such campaign or location (a treatment option is
    /// any question and response).
    func requirePlace(_ reference: PlaceReference, accountID: String) async throws {
        switch reference {
        case .campaign(let id): _ = try found(try await store.campaign(id: id, accountID: accountID), "campaign", id)
        case .location(let id): _ = try found(try await store.location(id: id, accountID: accountID), "location", id)
        case .treatment: break
        }
    }

    /// The webhooks enabled on the place, each placement naming it once.
    func entries(at reference: PlaceReference, accountID: String) async throws -> [Entry] {
        try await store.webhooks(accountID: accountID).flatMap { webhook in
            webhook.settings.placements(at: reference).map { Entry(webhook: webhook, placement: $0) }
        }
    }

    /// Enables the webhook on the place at `moment` (when not given: the end for a treatment option,
    /// else required). A webhook or moment the account cannot use is a `FieldError` naming it.
    func place(webhookID: String?, at reference: PlaceReference, moment: JSONValue?, accountID: String, now: Timestamp = .now) async throws -> Entry {
        guard let webhookID, !webhookID.isEmpty else { throw FieldError("webhook_id", "is required: the webhook to enable here") }
        let place = Place(reference)
        let placement = Placement(place: place, moment: try Placement.readMoment(moment, place: place, field: "moment", absent: place.treatment == nil ? nil : .end))
        let changed = try await store.changeWebhook(id: webhookID, accountID: accountID, now: now) { try $0.placing(placement) }
        guard let changed else { throw FieldError("webhook_id", "no webhook \(Echo.quoted(webhookID)) in this account", kind: .unusable) }
        return Entry(webhook: changed, placement: placement)
    }

    /// Removes the webhook's placements on the place (at `moment` only, when given); `false` when
    /// it had none there. What is left is never wider than before.
    func remove(webhookID: String, at reference: PlaceReference, moment: CallMoment? = nil, accountID: String, now: Timestamp = .now) async throws -> Bool {
        guard let webhook = try await store.webhook(id: webhookID, accountID: accountID),
            webhook.settings.placements(at: reference).contains(where: { moment == nil || $0.moment == moment })
        else { return false }
        _ = try await store.changeWebhook(id: webhookID, accountID: accountID, now: now) { $0.removingPlacements(at: reference, moment: moment) }
        return true
    }

    /// Each placement's campaign and location must be the account's: a `FieldError` naming the
    /// placement (or the old scope object) otherwise.
    func checkPlaces(of settings: WebhookSettings, body: JSONValue, accountID: String) async throws {
        let oldShape = body["scope"]?.objectValue != nil
        for (index, placement) in settings.scope.placements.enumerated() {
            if let id = placement.place.campaign, try await store.campaign(id: id, accountID: accountID) == nil {
                throw FieldError(oldShape ? "scope" : "placements[\(index)].campaign", "no campaign \(Echo.quoted(id)) in this account", kind: .unusable)
            }
            if let id = placement.place.location, try await store.location(id: id, accountID: accountID) == nil {
                throw FieldError(oldShape ? "scope" : "placements[\(index)].location", "no location \(Echo.quoted(id)) in this account", kind: .unusable)
            }
        }
    }
}

extension WebhookPlacements.Entry {
    /// `{"webhook_id", "webhook_name", "campaign" | "location" | "treatment", "moment"}`.
    var json: JSONObject {
        var object: JSONObject = ["webhook_id": .string(webhook.id), "webhook_name": .string(webhook.settings.name)]
        for (key, value) in placement.json { object[key] = value }
        return object
    }
}
