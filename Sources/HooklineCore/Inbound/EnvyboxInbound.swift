/// Envybox's webhook in: a form, its `webhooktype` read as an event on the tokens the
/// `envybox` preset sends them from. 7: a call begins; 2: what became of it; 1: the call's result
/// when a callback was ordered (`call_state` "Заказ звонка…"); 10, 8, 12: a chat (from the manager,
/// the offline form, the online form); 4: the lead generator; 19: a quiz; 31: the video widget.
enum EnvyboxInbound {
    // call_state and called_at render through tokens the preset computes (a callback's order).
    static let callFields = InboundFields.tokens(of: Preset.envyboxFields(lead: false)) + [("call_state", "call_state"), ("called_at", "call_start_time")]
    static let leadFields = InboundFields.tokens(of: Preset.envyboxFields(lead: true)) + [("called_at", "callback_at")]

    static func events(_ request: InboundRequest, key: String?, validator: TokenValidator) throws(InboundRefusal) -> [InboundEvent] {
        let pairs = FormEncoding.form.decode(String(decoding: request.body, as: UTF8.self)) + request.query
        func parameter(_ name: String) -> String? { pairs.first { $0.name == name }?.value }
        if let key, !ConstantTime.equals(parameter("key") ?? "", key) { throw .forbidden("the form's key is not this source's Envybox key") }
        guard let typeText = parameter("webhooktype") else { throw .unreadable(FieldError("webhooktype", "is required: Envybox's event code")) }
        guard let type = Int(typeText) else { throw .unreadable(FieldError("webhooktype", "must be a number, not \(Echo.quoted(typeText))")) }
        guard let id = SubjectKind.id(parameter("call_id").map(JSONValue.string)) else {
            throw .unreadable(FieldError("call_id", "is required: Envybox's call or request id, \(SubjectKind.idRule)"))
        }
        switch type {
        case 7, 2, 1:
            var values = TextValues.values(pairs, fields: callFields)
            values["callid"] = .string(id)
            // Every field the form sent rides on every event it makes, so each comes out of the preset
            // as it came in: Envybox sends the managers it rings with a call's start (7), and what a
            // later form (2, 1) says of fields known since the start is the latest word on them.
            // Checked as a call's end is, which takes every token its begin takes and its own.
            let all = try InboundFields.validated(values, for: .callEnd, fields: callFields + leadFields, validator: validator)
            var events = [InboundEvent(kind: .callBegin, subjectID: id, values: all)]
            if type != 7 { events.append(InboundEvent(kind: .callEnd, subjectID: id, values: all)) }
            return events
        case 10, 8, 12, 4, 19, 31:
            var values = TextValues.values(pairs, fields: leadFields)
            values["lead_id"] = .string(id)
            switch type {
            case 10, 8, 12:
                values["lead_kind"] = "chat"
                values["chat_channel"] = .string(type == 10 ? "manager" : type == 8 ? "offline_form" : "online_form")
            case 4: values["lead_kind"] = "generator"
            case 19: values["lead_kind"] = "quiz"
            default: values["lead_kind"] = "video"
            }
            return [InboundEvent(kind: .leadCreated, subjectID: id, values: try InboundFields.validated(values, for: .leadCreated, fields: callFields + leadFields, validator: validator))]
        default:
            throw .unreadable(FieldError("webhooktype", "\(type) is not an Envybox event Hookline knows: 7, 2, 1, 10, 8, 12, 4, 19 or 31"))
        }
    }
}
