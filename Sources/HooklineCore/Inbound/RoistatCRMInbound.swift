/// Roistat's own-CRM webhook in: a GET with `action=lead` (a lead, or a call from call
/// tracking) or `action=message` (more on a deal). With the source's user and password set,
/// `token` must be md5(user + password).
enum RoistatCRMInbound {
    static let leadFields: [(field: String, token: String)] = [
        ("visit", "visit_id"), ("title", "lead_title"), ("text", "lead_text"), ("name", "lead_name"), ("phone", "lead_phone"),
        ("email", "lead_email"), ("data", "lead_data"), ("created_date", "lead_created_at"),
    ]
    static let messageFields: [(field: String, token: String)] = [("title", "message_title"), ("text", "message_text")]

    static func events(_ request: InboundRequest, user: String?, password: String?, validator: TokenValidator) throws(InboundRefusal) -> [InboundEvent] {
        let pairs = request.query + (request.method == "POST" ? FormEncoding.form.decode(String(decoding: request.body, as: UTF8.self)) : [])
        func parameter(_ name: String) -> String? { pairs.first { $0.name == name }?.value }
        if let user, let password, !ConstantTime.equals(parameter("token") ?? "", Preset.md5Hex(user + password)) {
            throw .forbidden("token is not md5(user + password) of this source")
        }
        switch parameter("action") {
        case "lead":
            guard let id = SubjectKind.id(parameter("id").map(JSONValue.string)) else {
                throw .unreadable(FieldError("id", "is required: the lead's id, \(SubjectKind.idRule)"))
            }
            var values = TextValues.values(pairs, fields: leadFields)
            values["lead_id"] = .string(id)
            values["lead_kind"] = "crm"
            return [InboundEvent(kind: .leadCreated, subjectID: id, values: try InboundFields.validated(values, for: .leadCreated, fields: leadFields + messageFields, validator: validator))]
        case "message":
            guard let id = SubjectKind.id(parameter("leadId").map(JSONValue.string)) else {
                throw .unreadable(FieldError("leadId", "is required: the lead the message is about, \(SubjectKind.idRule)"))
            }
            var values = TextValues.values(pairs, fields: messageFields)
            values["lead_id"] = .string(id)
            return [InboundEvent(kind: .leadMessage, subjectID: id, values: try InboundFields.validated(values, for: .leadMessage, fields: leadFields + messageFields, validator: validator, extraKeys: ["lead_id"]))]
        case let other:
            throw .unreadable(FieldError("action", other.map { "\(Echo.quoted($0)) is not lead or message" } ?? "is required: lead or message"))
        }
    }
}
