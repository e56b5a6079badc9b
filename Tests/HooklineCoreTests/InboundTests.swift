import HooklineCore
import Testing

/// Providers' own webhooks read as events, without a server.
@Suite struct InboundTests {
    static func form(_ pairs: [(String, String)]) -> InboundRequest {
        InboundRequest(
            method: "POST", query: [], contentType: "application/x-www-form-urlencoded",
            body: Array(pairs.map { "\(FormEncoding.form.encode($0.0))=\(FormEncoding.form.encode($0.1))" }.joined(separator: "&").utf8))
    }

    @Test(arguments: [(12, "online_form"), (10, "manager"), (8, "offline_form")])
    func envyboxChatsAreLeadsFromTheirChannel(type: Int, channel: String) throws {
        let events = try Inbound.events(Self.form([("webhooktype", "\(type)"), ("call_id", "55"), ("phone", "79998887766"), ("name", "Ivan")]), kind: .envybox, options: [:])
        #expect(events.count == 1 && events[0].kind == .leadCreated && events[0].subjectID == "55")
        #expect(events[0].values["lead_kind"] == "chat" && events[0].values["chat_channel"] == .string(channel))
        #expect(events[0].values["lead_phone"] == "79998887766" && events[0].values["lead_name"] == "Ivan")
    }

    @Test(arguments: [(4, "generator"), (19, "quiz"), (31, "video")])
    func envyboxWidgetsAreLeadsOfTheirKind(type: Int, kind: String) throws {
        let events = try Inbound.events(Self.form([("webhooktype", "\(type)"), ("call_id", "56")]), kind: .envybox, options: [:])
        #expect(events.map(\.kind) == [.leadCreated] && events[0].values["lead_kind"] == .string(kind))
    }

    @Test func anEnvyboxCallbackOrderIsTheCallsEndWithItsState() throws {
        let events = try Inbound.events(
            Self.form([("webhooktype", "1"), ("call_id", "6002540"), ("call_state", "Заказ звонка на 01.01.2021 в 0:00:00"), ("call_duration", "0")]),
            kind: .envybox, options: [:])
        #expect(events.map(\.kind) == [.callBegin, .callEnd])
        #expect(events[1].values["call_state"] == "Заказ звонка на 01.01.2021 в 0:00:00" && events[1].values["answered_time"] == 0)
    }

    @Test func whatCannotBeReadIsRefusedNamingTheProvidersField() {
        #expect(throws: InboundRefusal.unreadable(FieldError("webhooktype", "99 is not an Envybox event Hookline knows: 7, 2, 1, 10, 8, 12, 4, 19 or 31"))) {
            try Inbound.events(Self.form([("webhooktype", "99"), ("call_id", "1")]), kind: .envybox, options: [:])
        }
        #expect(throws: InboundRefusal.forbidden("the form's key is not this source's Envybox key")) {
            try Inbound.events(Self.form([("webhooktype", "7"), ("call_id", "1"), ("key", "a")]), kind: .envybox, options: ["key": "b"])
        }
        let badDuration = InboundRequest(method: "POST", query: [], contentType: "application/json", body: Array(#"{"id": "1", "status": "ANSWER", "duration": "long"}"#.utf8))
        #expect {
            try Inbound.events(badDuration, kind: .roistatCall, options: [:])
        } throws: { error in
            guard case .unreadable(let field) = error as? InboundRefusal else { return false }
            return field.field == "duration"
        }
        let noAction = InboundRequest(method: "GET", query: [("id", "1")], contentType: nil, body: [])
        #expect(throws: InboundRefusal.unreadable(FieldError("action", "is required: lead or message"))) {
            try Inbound.events(noAction, kind: .roistatCRM, options: [:])
        }
    }
}
