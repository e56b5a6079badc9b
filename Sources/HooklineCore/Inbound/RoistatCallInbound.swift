/// Roistat's call webhook in: its JSON (at the moment of the call, then after it), on the tokens the
/// `roistat.call` preset sends them from. Without `status` it is the moment of the call (a call
/// begins); with it, the call after it ended (it begins first when its begin never came).
enum RoistatCallInbound {
    static let beginFields = InboundFields.tokens(of: Preset.roistatCallFields(metrika: true))
    static let endFields = InboundFields.tokens(of: Preset.roistatCallEndFields)

    static func events(_ request: InboundRequest, validator: TokenValidator) throws(InboundRefusal) -> [InboundEvent] {
        let object: JSONObject
        do {
            guard let value = try JSONParser.parse(request.body).objectValue else { throw InboundRefusal.unreadable(FieldError("body", "must be a JSON object")) }
            object = value
        } catch let refusal as InboundRefusal {
            throw refusal
        } catch {
            throw .unreadable(FieldError("body", "is not JSON: \(error)"))
        }
        func values(_ fields: [(field: String, token: String)]) -> JSONObject {
            JSONObject(fields.compactMap { field, token in object[field].map { (token, $0) } })
        }
        var begin = values(beginFields)
        guard let callID = SubjectKind.id(begin["callid"]) else {
            throw .unreadable(FieldError("id", "is required: Roistat's call number, \(SubjectKind.idRule)"))
        }
        begin["callid"] = .string(callID)
        var events = [InboundEvent(kind: .callBegin, subjectID: callID, values: try InboundFields.validated(begin, for: .callBegin, fields: beginFields + endFields, validator: validator))]
        if object["status"] != nil {
            // What the payload after the call says of fields known since its moment is the latest
            // word on them (Roistat's payload after the call may carry another google_client_id or domain).
            var end = values(beginFields + endFields)
            end["callid"] = nil
            events.append(InboundEvent(kind: .callEnd, subjectID: callID, values: try InboundFields.validated(end, for: .callEnd, fields: beginFields + endFields, validator: validator)))
        }
        return events
    }
}
