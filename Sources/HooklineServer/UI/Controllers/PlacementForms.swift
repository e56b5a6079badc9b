import HooklineCore
import HooklineStore
import Hummingbird

/// Enabling a webhook on a campaign's or a location's page and removing it there (a dropdown
/// of webhooks and the moment: beginning or end of the call), with the `placements` partial's values.
struct PlacementForms {
    let store: any Store

    /// The form's post; answers the mistake to show beside its field, or nil once enabled.
    func enable(_ request: Request, context: HooklineRequestContext, at place: PlaceReference, accountID: String) async throws -> (field: String, message: String)? {
        let placements = WebhookPlacements(store: store)
        try await placements.requirePlace(place, accountID: accountID)
        let form = try await FormFields.of(request, context: context)
        guard let webhookID = form["webhook_id"], !webhookID.isEmpty else { return ("webhook_id", "choose a webhook") }
        do {
            _ = try await placements.place(webhookID: webhookID, at: place, moment: form["moment"].map(JSONValue.string), accountID: accountID)
            return nil
        } catch let error as FieldError {
            return (error.field, error.message)
        }
    }

    /// Removes the webhook named in the path at the form's moment; 404 when it is not enabled here.
    func remove(_ request: Request, context: HooklineRequestContext, at place: PlaceReference, accountID: String) async throws {
        let webhookID = try context.parameters.require("webhook")
        let form = try await FormFields.of(request, context: context)
        guard
            try await WebhookPlacements(store: store).remove(
                webhookID: webhookID, at: place, moment: form["moment"].flatMap(CallMoment.init(rawValue:)), accountID: accountID)
        else { throw StoreError.notFound("webhook \(webhookID) is not enabled here") }
    }

    /// What the `placements` partial shows: the dropdown, each webhook enabled here with its
    /// moment, and a mistake beside its field.
    func panel(at place: PlaceReference, path: String, noun: String, accountID: String, error: (field: String, message: String)?) async throws -> PlacementPanel {
        let rows = try await PlacementRows.load(store: store, accountID: accountID)
        return PlacementPanel(
            placeBase: path, placeNoun: noun, enabled: try await WebhookPlacements(store: store).entries(at: place, accountID: accountID).map(rows.row),
            webhookOptions: WebhookOption.list(try await store.webhooks(accountID: accountID)), errors: error.map { [$0.field: $0.message] } ?? [:])
    }
}
