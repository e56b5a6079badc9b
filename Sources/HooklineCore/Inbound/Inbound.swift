/// A provider's request to a source, read by the source's kind.
public enum Inbound {
    public static func events(_ request: InboundRequest, kind: SourceKind, options: JSONObject, validator: TokenValidator = TokenValidator())
        throws(InboundRefusal) -> [InboundEvent]
    {
        switch kind {
        case .roistatCall: try RoistatCallInbound.events(request, validator: validator)
        case .envybox: try EnvyboxInbound.events(request, key: options["key"]?.stringValue, validator: validator)
        case .roistatCRM:
            try RoistatCRMInbound.events(request, user: options["user"]?.stringValue, password: options["password"]?.stringValue, validator: validator)
        case .json:
            try JSONInbound.events(request, rules: try Self.rules(options, catalogue: validator.catalogue), validator: validator)
        }
    }

    /// A json source's rules; they were checked when saved, so a failure here means the catalogue
    /// changed under them.
    private static func rules(_ options: JSONObject, catalogue: TokenCatalogue) throws(InboundRefusal) -> JSONSourceRules {
        do {
            return try JSONSourceRules(options: options, catalogue: catalogue)
        } catch {
            throw .unreadable(FieldError("source.\(error.field)", "this source's rules no longer hold: \(error.message); edit the source"))
        }
    }
}
