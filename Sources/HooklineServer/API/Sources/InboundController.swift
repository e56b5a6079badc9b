import Hummingbird
import HooklineCore
import HooklineDelivery
import HooklineStore

/// `/in/{secret}`: where providers send their own webhooks. A request is read by its source's
/// kind, its events are stored with their deliveries, and only then does the provider get the
/// answer it waits for; a resend of the same call and kind is the same event.
struct InboundController {
    let store: any Store
    let ingestion: Ingestion
    let metrics: HooklineMetrics

    func addRoutes(to router: Router<HooklineRequestContext>) {
        router.get("in/{secret}", use: receive)
        router.post("in/{secret}", use: receive)
    }

    @Sendable func receive(request: Request, context: HooklineRequestContext) async throws -> JSONResponse {
        let secret = try context.parameters.require("secret")
        guard let source = try await store.source(secretDigest: APIKey.digest(secret)) else { throw APIError(.notFound, "no source at this address") }
        let body = try await request.body.collect(upTo: context.maxUploadSize)
        let inbound = InboundRequest(
            method: request.method.rawValue, query: FormEncoding.form.decode(request.uri.query ?? ""), contentType: request.headers[.contentType],
            body: Array(body.readableBytesView))
        let events: [InboundEvent]
        do {
            events = try Inbound.events(inbound, kind: source.kind, options: source.options)
        } catch {
            try await store.countSourceRequest(id: source.id, refused: true)
            switch error {
            case .unreadable(let problem): throw APIError(.badRequest, problem.message, field: problem.field)
            case .forbidden(let message): throw APIError(.forbidden, message)
            }
        }
        for event in events {
            do {
                let receipt = try await ingestion.accept(
                    IngestRequest(
                        accountID: source.accountID, command: Self.command(event, request: inbound),
                        idempotencyKey: IdempotencyKey(key: Self.idempotencyKey(event, source: source, request: inbound), fingerprint: "source"),
                        routing: RoutingContext(sourceID: source.id), now: .now))
                metrics.eventIngested(receipt.kind)
            } catch StoreError.conflict where event.kind.createsSubject {
                // The call or lead came by another way first (the API, another source): it is known.
                continue
            } catch StoreError.notFound(let message) {
                try await store.countSourceRequest(id: source.id, refused: true)
                throw APIError(.unprocessableContent, message, field: event.kind.subject == .call ? "call" : "lead")
            } catch StoreError.tooLarge(let message) {
                try await store.countSourceRequest(id: source.id, refused: true)
                throw APIError(.contentTooLarge, message, field: "body")
            }
        }
        try await store.countSourceRequest(id: source.id, refused: false)
        var answer: JSONObject = ["status": "ok"]
        // What Roistat waits for before it stops resending: the deal's id.
        if source.kind == .roistatCRM, let subject = events.first?.subjectID { answer["order_id"] = .string(subject) }
        return JSONResponse(answer)
    }

    static func command(_ event: InboundEvent, request: InboundRequest) -> IngestCommand {
        switch event.kind {
        case .callBegin: .beginCall(callID: event.subjectID, values: event.values)
        // A provider that sends its after-call webhook again with more (the recording) updates the call.
        case .callEnd: .endCall(callID: event.subjectID, values: event.values, laterAsUpdate: true)
        case .callUpdated: .updateCall(callID: event.subjectID, values: event.values)
        case .callConverted:
            .convertCall(callID: event.subjectID, conversionID: event.values["conversion_id"]?.stringValue ?? messageID(request), values: event.values)
        case .leadCreated: .createLead(leadID: event.subjectID, values: event.values)
        case .leadUpdated: .updateLead(leadID: event.subjectID, values: event.values)
        case .leadMessage: .addMessage(leadID: event.subjectID, messageID: messageID(request), values: event.values)
        // No source reports these (`JSONSourceRules` takes reported kinds only); Hookline raises them.
        case .webhookFailing, .webhookRecovered, .webhookDisabled, .deliveryDead: .alert(Alert(kind: event.kind, webhookID: event.subjectID, values: event.values))
        }
    }

    /// A call or lead begins once; what comes after differs by its content: a resend of the same
    /// request is the same event, another request about the same call is another.
    static func idempotencyKey(_ event: InboundEvent, source: InboundSource, request: InboundRequest) -> String {
        "source \(source.id) \(event.kind.rawValue) \(event.subjectID)" + (event.kind.createsSubject ? "" : " \(messageID(request))")
    }

    /// A message's id: its request's digest, the same for a resend.
    static func messageID(_ request: InboundRequest) -> String {
        let query = request.query.map { "\($0.name)=\($0.value)" }.joined(separator: "&")
        return String(APIKey.sha256Hex(Array(query.utf8) + [0] + request.body).prefix(24))
    }
}
