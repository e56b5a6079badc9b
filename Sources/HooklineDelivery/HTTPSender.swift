import AsyncHTTPClient
import Foundation
import HooklineCore
import HooklineStore
import NIOCore
import NIOHTTP1

/// Sends one attempt of a delivery over HTTP and records what was sent and answered.
public struct HTTPSender: Sendable {
    let clients: HTTPClients
    public let configuration: DeliveryConfiguration
    let resolver = DestinationResolver()
    let templates = TemplateCache()
    let signingKeys = SigningKeyCache()

    public init(clients: HTTPClients, configuration: DeliveryConfiguration) {
        self.clients = clients
        self.configuration = configuration
    }

    public struct Outcome: Sendable {
        public var attempt: Attempt
        /// Set when this attempt rendered the payload (the first one).
        public var renderedPayload: RenderedPayload?
        /// The receiver's `Retry-After`, in seconds.
        public var retryAfter: Double?
        /// Values the answer gave for the webhook's captures.
        public var captured = JSONObject()
    }

    /// The bytes to send: frozen at the first attempt, rendered now otherwise.
    func payload(for job: DeliveryJob) throws(TemplateError) -> (RenderedPayload, rendered: Bool) {
        if let payload = job.payload { return (payload, false) }
        return (try templates.compiled(job.webhook, for: job.delivery.eventKind).render(job.values), true)
    }

    /// Every header of the request, signature and credentials included.
    static func headers(
        for job: DeliveryJob, payload: RenderedPayload, at now: Timestamp, userAgent: String, signingKeys: SigningKeyCache
    ) -> [HeaderField] {
        let settings = job.webhook.settings
        var headers: [HeaderField] = []
        if let contentType = payload.contentType, !payload.headers.contains(where: { $0.name.lowercased() == "content-type" }) {
            headers.append(HeaderField(name: "Content-Type", value: contentType))
        }
        var userHeaders = payload.headers
        if let auth = settings.auth {
            userHeaders.removeAll { $0.name.lowercased() == "authorization" }
            switch auth {
            case .basic(let username, let password):
                headers.append(HeaderField(name: "Authorization", value: "Basic " + Data("\(username):\(password)".utf8).base64EncodedString()))
            case .bearer(let token):
                headers.append(HeaderField(name: "Authorization", value: "Bearer \(token)"))
            }
        }
        headers.append(contentsOf: userHeaders)
        if !userHeaders.contains(where: { $0.name.lowercased() == "user-agent" }) { headers.append(HeaderField(name: "User-Agent", value: userAgent)) }
        // The same id on every attempt of a delivery, so receivers can de-duplicate.
        let id = job.delivery.id
        let timestamp = now.millisecondsSince1970 / 1000
        headers.append(HeaderField(name: "webhook-id", value: id))
        headers.append(HeaderField(name: "webhook-timestamp", value: String(timestamp)))
        if settings.signing {
            let signature = StandardWebhooks.signatureHeader(
                id: id, timestamp: timestamp, body: payload.body, keys: signingKeys.keys(for: job.webhook.secrets.signing(at: now)))
            headers.append(HeaderField(name: "webhook-signature", value: signature))
        }
        return headers
    }

    /// Sends a webhook once, now, for an event of `kind` with these values, outside any delivery
    /// (nothing is stored): what "try it now" shows.
    public func sendTrial(_ webhook: Webhook, kind: EventKind, values: JSONObject, subjectID: String) async -> Outcome {
        let now = Timestamp.now
        let delivery = Delivery(
            id: Identifier.make("test", at: now), accountID: webhook.accountID, webhookID: webhook.id, eventID: "test", eventKind: kind,
            subjectID: subjectID, status: .pending, attemptCount: 0, nextAttemptAt: now, createdAt: now, updatedAt: now, lastResponseStatus: nil,
            lastError: nil)
        return await send(DeliveryJob(delivery: delivery, webhook: webhook, values: values, payload: nil, scheduleAttempts: 0, scheduleStartedAt: now), at: now)
    }

    /// One attempt, in stages: render (or take the frozen payload) and build the head, check
    /// the destination, exchange, judge the answer.
    public func send(_ job: DeliveryJob, at start: Timestamp) async -> Outcome {
        let clock = ContinuousClock.now
        func outcome(_ request: RecordedRequest, _ answer: Answer, rendered: RenderedPayload?) -> Outcome {
            let duration = ContinuousClock.now - clock
            let attempt = Attempt(
                number: job.delivery.attemptCount + 1, startedAt: start,
                durationMilliseconds: Int(duration.wholeMilliseconds),
                request: request, response: answer.response, errorKind: answer.errorKind, errorMessage: answer.errorMessage)
            return Outcome(attempt: attempt, renderedPayload: rendered, retryAfter: answer.retryAfter, captured: answer.captured)
        }
        let prepared: Prepared
        switch prepare(job, at: start) {
        case .success(let ready): prepared = ready
        case .failure(let unrendered): return outcome(unrendered.request, .failed(.render, unrendered.message), rendered: nil)
        }
        let settings = job.webhook.settings
        let route: Route
        switch await self.route(prepared.target, settings: settings) {
        case .success(let found): route = found
        case .failure(let refusal): return outcome(prepared.recorded, .failed(refusal.kind, refusal.message), rendered: prepared.frozen)
        }
        var request = HTTPClientRequest(url: route.url)
        request.method = HTTPMethod(rawValue: settings.method.rawValue)
        for header in prepared.headers { request.headers.add(name: header.name, value: header.value) }
        if let hostHeader = route.hostHeader { request.headers.replaceOrAdd(name: "Host", value: hostHeader) }
        if prepared.payload.contentType != nil { request.body = .bytes(ByteBuffer(bytes: prepared.payload.body)) }
        // Past the cache's size a client serves one request and is shut down after it.
        let oneOff = route.client == nil ? clients.makeClient(connectTimeout: route.connectTimeout) : nil
        let answer = await exchange(request, client: route.client ?? oneOff!, settings: settings)
        if let oneOff { try? await oneOff.shutdown() }
        return outcome(prepared.recorded, answer, rendered: prepared.frozen)
    }

    /// The request as it will be sent and recorded.
    struct Prepared {
        var payload: RenderedPayload
        /// The payload when this attempt rendered it: kept for every later attempt.
        var frozen: RenderedPayload?
        var headers: [HeaderField]
        var target: String
        var recorded: RecordedRequest
    }

    /// A request that could not be rendered (its template, or a head past the limits), recorded as
    /// far as it got.
    struct Unrendered: Error {
        var request: RecordedRequest
        var message: String
    }

    /// A destination that cannot be reached or may not be.
    struct Refusal: Error {
        var kind: AttemptErrorKind
        var message: String
    }

    private func prepare(_ job: DeliveryJob, at start: Timestamp) -> Result<Prepared, Unrendered> {
        let settings = job.webhook.settings
        let payload: RenderedPayload
        let rendered: Bool
        do {
            (payload, rendered) = try self.payload(for: job)
        } catch {
            let request = RecordedRequest(method: settings.method.rawValue, url: settings.url, headers: [], body: "")
            return .failure(Unrendered(request: request, message: "template could not be rendered: \(error)"))
        }
        let headers = Self.headers(for: job, payload: payload, at: start, userAgent: configuration.userAgent, signingKeys: signingKeys)
        let target = payload.url(from: settings.url)
        if let problem = RequestHeadLimits.problem(headers: headers, target: target) {
            // Not frozen: a retry renders again, so a webhook whose headers were fixed meanwhile goes out.
            let request = RecordedRequest(method: settings.method.rawValue, url: Redaction.redacted(url: String(target.prefix(2048))), headers: [], body: "")
            return .failure(Unrendered(request: request, message: problem))
        }
        let recorded = RecordedRequest(
            method: settings.method.rawValue, url: Redaction.redacted(url: target), headers: Redaction.redacted(headers),
            body: String(decoding: payload.body, as: UTF8.self))
        return .success(Prepared(payload: payload, frozen: rendered ? payload : nil, headers: headers, target: target, recorded: recorded))
    }

    /// Where the request goes: the URL, a client that connects only to the checked address, and
    /// the Host header an address put in the URL needs.
    struct Route {
        var url: String
        var client: HTTPClient?
        var connectTimeout: Duration
        var hostHeader: String?
    }

    private func route(_ target: String, settings: WebhookSettings) async -> Result<Route, Refusal> {
        guard var url = URLComponents(string: target), let host = url.host, !host.isEmpty else {
            return .failure(Refusal(kind: .connect, message: "'\(Redaction.redacted(url: target))' is not a valid URL"))
        }
        let connectTimeout = Duration.milliseconds(Int64(settings.timeouts.connect * 1000))
        var client = clients.client(connectTimeout: connectTimeout)
        var hostHeader: String?
        if !configuration.allowPrivateDestinations {
            let address: DestinationPolicy.Address
            do {
                address = try await resolver.resolve(host)
            } catch {
                return .failure(Refusal(kind: .destination, message: String(describing: error)))
            }
            let literal = if case .v6 = address { "[\(address)]" } else { "\(address)" }
            if url.scheme?.lowercased() == "https" {
                // TLS verifies the host name while the connection goes to the checked address.
                client = clients.client(connectTimeout: connectTimeout, pinning: host, to: "\(address)")
            } else {
                hostHeader = url.port.map { "\(host):\($0)" } ?? host
                url.host = literal
            }
        }
        return .success(Route(url: url.string ?? target, client: client, connectTimeout: connectTimeout, hostHeader: hostHeader))
    }

    /// What the receiver answered, judged: its status against the success codes, then the answer
    /// rule and the captures.
    struct Answer {
        var response: RecordedResponse?
        var errorKind: AttemptErrorKind?
        var errorMessage: String?
        var retryAfter: Double?
        var captured = JSONObject()

        static func failed(_ kind: AttemptErrorKind, _ message: String) -> Answer {
            Answer(response: nil, errorKind: kind, errorMessage: message)
        }
    }

    private func exchange(_ request: HTTPClientRequest, client: HTTPClient, settings: WebhookSettings) async -> Answer {
        var answer = Answer()
        do {
            let received = try await client.execute(request, timeout: .milliseconds(Int64(settings.timeouts.total * 1000)))
            var body = ByteBuffer()
            var truncated = false
            for try await chunk in received.body {
                let room = Attempt.maximumRecordedBody - body.readableBytes
                if chunk.readableBytes > room { truncated = true }
                if room > 0 { body.writeImmutableBuffer(chunk.getSlice(at: chunk.readerIndex, length: min(room, chunk.readableBytes))!) }
            }
            let status = Int(received.status.code)
            answer.response = RecordedResponse(
                status: status,
                headers: Redaction.redacted(received.headers.map { HeaderField(name: $0.name, value: $0.value) }),
                body: String(decoding: body.readableBytesView, as: UTF8.self), bodyTruncated: truncated)
            if !DeliveryJudge.accepts(status: status, successCodes: settings.successCodes) {
                answer.errorKind = .status
                answer.errorMessage = "HTTP \(status) is not a success code"
                answer.retryAfter = received.headers.first(name: "Retry-After").flatMap { DeliveryJudge.retryAfterSeconds($0, now: .now) }
            } else if settings.answerRule != nil || !settings.captures.isEmpty {
                let document = truncated ? nil : try? JSONParser.parse(body.readableBytesView)
                if let problem = settings.answerRule?.problem(with: document) {
                    answer.errorKind = .answer
                    answer.errorMessage = problem
                } else {
                    answer.captured = AnswerCapture.values(settings.captures, from: document)
                }
            }
        } catch {
            (answer.errorKind, answer.errorMessage) = Self.classify(error)
        }
        return answer
    }

    static func classify(_ error: any Error) -> (AttemptErrorKind, String) {
        if let error = error as? HTTPClientError {
            switch error {
            case .connectTimeout, .getConnectionFromPoolTimeout:
                return (.connect, "connect timed out")
            case .deadlineExceeded, .readTimeout, .writeTimeout:
                return (.timeout, "no complete answer within the timeout")
            case .tlsHandshakeTimeout:
                return (.tls, "TLS handshake timed out")
            case .remoteConnectionClosed:
                return (.network, "the receiver closed the connection before answering")
            default:
                return (.network, String(describing: error))
            }
        }
        let type = String(reflecting: Swift.type(of: error))
        let message = String(describing: error)
        if type.contains("NIOSSL") || type.contains("BoringSSL") { return (.tls, message) }
        if type.contains("NIOConnectionError") || type.contains("IOError") || type.contains("SocketAddressError")
            || type.contains("ChannelError")
        {
            return (.connect, message)
        }
        return (.network, message)
    }
}
