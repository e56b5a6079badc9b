import AsyncHTTPClient
import Foundation
import HooklineCore
import HooklineStore
import NIOCore
import NIOHTTP1

/// Sends one attempt of a delivery over HTTP and records what was sent and answered.
public struct HTTPSender: Sendable {
    let clients: HTTPClients
    let configuration: DeliveryConfiguration
    let resolver = DestinationResolver()
    let templates = TemplateCache()

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
    static func headers(for job: DeliveryJob, payload: RenderedPayload, at now: Timestamp, userAgent: String) -> [HeaderField] {
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
            let signature = StandardWebhooks.signatureHeader(id: id, timestamp: timestamp, body: payload.body, secrets: job.webhook.secrets.signing(at: now))
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

    public func send(_ job: DeliveryJob, at start: Timestamp) async -> Outcome {
        let settings = job.webhook.settings
        let number = job.delivery.attemptCount + 1
        let clock = ContinuousClock.now
        func elapsed() -> Int {
            let duration = ContinuousClock.now - clock
            return Int(duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000)
        }
        func failure(_ request: RecordedRequest, _ kind: AttemptErrorKind, _ message: String, rendered: RenderedPayload? = nil) -> Outcome {
            Outcome(
                attempt: Attempt(
                    number: number, startedAt: start, durationMilliseconds: elapsed(), request: request, response: nil, errorKind: kind,
                    errorMessage: message),
                renderedPayload: rendered)
        }

        let payload: RenderedPayload
        let rendered: Bool
        do {
            (payload, rendered) = try self.payload(for: job)
        } catch {
            let request = RecordedRequest(method: settings.method.rawValue, url: settings.url, headers: [], body: "")
            return failure(request, .render, "template could not be rendered: \(error)")
        }
        let frozen = rendered ? payload : nil
        let headers = Self.headers(for: job, payload: payload, at: start, userAgent: configuration.userAgent)
        let target = payload.url(from: settings.url)
        if let problem = RequestHeadLimits.problem(headers: headers, target: target) {
            // Not frozen: a retry renders again, so a webhook whose headers were fixed meanwhile goes out.
            let request = RecordedRequest(method: settings.method.rawValue, url: Redaction.redacted(url: String(target.prefix(2048))), headers: [], body: "")
            return failure(request, .render, problem)
        }
        let recordedRequest = RecordedRequest(
            method: settings.method.rawValue, url: Redaction.redacted(url: target), headers: Redaction.redacted(headers),
            body: String(decoding: payload.body, as: UTF8.self))

        guard var url = URLComponents(string: target), let host = url.host, !host.isEmpty else {
            return failure(recordedRequest, .connect, "'\(Redaction.redacted(url: target))' is not a valid URL", rendered: frozen)
        }
        let connectTimeout = Duration.milliseconds(Int64(settings.timeouts.connect * 1000))
        var client = clients.client(connectTimeout: connectTimeout)
        var hostHeader: String?
        if !configuration.allowPrivateDestinations {
            let address: DestinationPolicy.Address
            do {
                address = try await resolver.resolve(host)
            } catch {
                return failure(recordedRequest, .destination, String(describing: error), rendered: frozen)
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
        // Past the cache's size a client serves one request and is shut down after it.
        let oneOff = client == nil ? clients.makeClient(connectTimeout: connectTimeout) : nil

        var request = HTTPClientRequest(url: url.string ?? target)
        request.method = HTTPMethod(rawValue: settings.method.rawValue)
        for header in headers { request.headers.add(name: header.name, value: header.value) }
        if let hostHeader { request.headers.replaceOrAdd(name: "Host", value: hostHeader) }
        if payload.contentType != nil { request.body = .bytes(ByteBuffer(bytes: payload.body)) }

        var response: RecordedResponse?
        var errorKind: AttemptErrorKind?
        var errorMessage: String?
        var retryAfter: Double?
        var captured = JSONObject()
        do {
            let answer = try await (client ?? oneOff!).execute(request, timeout: .milliseconds(Int64(settings.timeouts.total * 1000)))
            var body = ByteBuffer()
            var truncated = false
            for try await chunk in answer.body {
                let room = Attempt.maximumRecordedBody - body.readableBytes
                if chunk.readableBytes > room { truncated = true }
                if room > 0 { body.writeImmutableBuffer(chunk.getSlice(at: chunk.readerIndex, length: min(room, chunk.readableBytes))!) }
            }
            let status = Int(answer.status.code)
            response = RecordedResponse(
                status: status,
                headers: Redaction.redacted(answer.headers.map { HeaderField(name: $0.name, value: $0.value) }),
                body: String(decoding: body.readableBytesView, as: UTF8.self), bodyTruncated: truncated)
            if !DeliveryJudge.accepts(status: status, successCodes: settings.successCodes) {
                errorKind = .status
                errorMessage = "HTTP \(status) is not a success code"
                retryAfter = answer.headers.first(name: "Retry-After").flatMap { DeliveryJudge.retryAfterSeconds($0, now: .now) }
            } else if settings.answerRule != nil || !settings.captures.isEmpty {
                let document = truncated ? nil : try? JSONParser.parse(body.readableBytesView)
                if let problem = settings.answerRule?.problem(with: document) {
                    errorKind = .answer
                    errorMessage = problem
                } else {
                    captured = AnswerCapture.values(settings.captures, from: document)
                }
            }
        } catch {
            (errorKind, errorMessage) = Self.classify(error)
        }
        if let oneOff { try? await oneOff.shutdown() }
        let attempt = Attempt(
            number: number, startedAt: start, durationMilliseconds: elapsed(), request: recordedRequest, response: response,
            errorKind: errorKind, errorMessage: errorMessage)
        return Outcome(attempt: attempt, renderedPayload: frozen, retryAfter: retryAfter, captured: captured)
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
