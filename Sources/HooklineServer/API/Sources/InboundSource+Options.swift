import HooklineCore

/// A source's options as the API reads them.
extension InboundSource {
    /// A kind's options from an API body: strings, of the kind's names; Roistat CRM's user and
    /// password go together. A secret option sent back as shown (redacted) keeps the saved value.
    static func readOptions(_ value: JSONValue?, kind: SourceKind, base: JSONObject = [:]) throws(FieldError) -> JSONObject {
        if kind == .json {
            var merged = base
            if let value {
                guard let object = value.objectValue else { throw FieldError("options", "must be an object of \(JSONSourceRules.optionNames.sorted().joined(separator: ", "))") }
                for (name, option) in object { merged[name] = option }
            }
            return try JSONSourceRules(options: merged).options
        }
        guard let value else { return base }
        guard let object = value.objectValue else { throw FieldError("options", "must be an object of option names to strings") }
        var options = JSONObject()
        for (name, option) in object {
            guard kind.optionNames.contains(name) else {
                throw FieldError(
                    "options.\(name)", "unknown option of \(kind.rawValue)" + (kind.optionNames.isEmpty ? "; it has none" : "; it has \(kind.optionNames.sorted().joined(separator: ", "))"),
                    kind: .unusable)
            }
            guard let text = option.stringValue, !text.isEmpty, text.count <= 200 else { throw FieldError("options.\(name)", "must be a non-empty string of at most 200 characters") }
            options[name] = text == Redaction.placeholder && secretOptions.contains(name) ? base[name] ?? .string(text) : .string(text)
        }
        if kind == .roistatCRM, (options["user"] == nil) != (options["password"] == nil) {
            throw FieldError(options["user"] == nil ? "options.user" : "options.password", "user and password go together: the token is md5(user + password)", kind: .unusable)
        }
        return options
    }
}
