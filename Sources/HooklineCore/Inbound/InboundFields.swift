/// The inverse of a preset's template: which token each of the provider's fields fills.
enum InboundFields {
    /// (field, token) from a preset's (field, "%token%" or "%token|format%") pairs; fields that
    /// are constants or computed by the preset are left out.
    static func tokens(of fields: [(String, String)], catalogue: TokenCatalogue = .standard) -> [(field: String, token: String)] {
        fields.compactMap { field, text in
            guard text.hasPrefix("%"), text.hasSuffix("%"), text.count > 2 else { return nil }
            let inner = text.dropFirst().dropLast()
            guard !inner.contains("%") else { return nil }
            let token = String(inner.prefix { $0 != "|" })
            guard catalogue[token] != nil else { return nil }
            return (field, token)
        }
    }

    /// `values` checked as ingest checks them; a mistake is named by the provider's field.
    static func validated(_ values: JSONObject, for kind: EventKind, fields: [(field: String, token: String)], validator: TokenValidator, extraKeys: Set<String> = [])
        throws(InboundRefusal) -> JSONObject
    {
        do {
            return try validator.validate(.object(values), for: kind, extraKeys: extraKeys)
        } catch {
            let field = fields.first { $0.token == error.field }?.field ?? error.field
            throw .unreadable(FieldError(field, error.message, kind: error.kind))
        }
    }
}
