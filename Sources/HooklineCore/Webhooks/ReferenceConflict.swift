/// What may not be deleted or taken while something refers to it: the rules every engine applies
/// to the rows it read (and locked) before it writes, so that each refuses with the same words.
public struct ReferenceConflict: Error, Sendable, Equatable {
    public var message: String

    /// Deleting a saved template that webhooks render with.
    public static func deletingTemplate(_ id: String, webhooks: [Webhook]) -> ReferenceConflict? {
        let users = webhooks.filter { $0.settings.template.templateID == id }.map(\.id)
        guard !users.isEmpty else { return nil }
        return ReferenceConflict(message: "template \(id) is used by webhook \(users.joined(separator: ", ")); give them another template first")
    }

    /// Deleting a campaign or location (`what`, as the message names it) that webhooks are enabled on.
    public static func deletingPlace(_ place: PlaceReference, what: String, webhooks: [Webhook]) -> ReferenceConflict? {
        let users = webhooks.filter { $0.settings.scope.names(place) }.map(\.id)
        guard !users.isEmpty else { return nil }
        return ReferenceConflict(message: "\(what) has webhook \(users.joined(separator: ", ")) enabled on it; remove them there first")
    }

    /// Giving a campaign a tracking number another campaign of the account holds.
    public static func trackingNumber(_ number: String, heldBy owner: String?) -> ReferenceConflict {
        ReferenceConflict(message: "tracking number \(number) already belongs to campaign \(owner ?? "another campaign")")
    }
}
