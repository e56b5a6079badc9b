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

    /// A provider's values for a call, each checked as ingest checks its token, whether the call's
    /// begin or its end owns it: a provider may say at a call's start what Hookline's catalogue
    /// files under its end (Envybox's managers rung), and what it says is kept.
    static func validatedForCall(_ values: JSONObject, fields: [(field: String, token: String)], validator: TokenValidator) throws(InboundRefusal) -> JSONObject {
        let beginCategories = EventKind.callBegin.acceptedCategories
        let atBegin = JSONObject(values.filter { validator.catalogue[$0.key].map { beginCategories.contains($0.category) } ?? true }.map { ($0.key, $0.value) })
        let atEnd = JSONObject(values.filter { !atBegin.keys.contains($0.key) }.map { ($0.key, $0.value) })
        let checked = try validated(atBegin, for: .callBegin, fields: fields, validator: validator).merging(try validated(atEnd, for: .callEnd, fields: fields, validator: validator))
        return JSONObject(values.compactMap { key, _ in checked[key].map { (key, $0) } })
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
