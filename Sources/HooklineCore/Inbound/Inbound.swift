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
        }
    }
}
