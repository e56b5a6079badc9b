import AsyncHTTPClient
import HooklineCore
import HooklineStore
import NIOCore
import NIOHTTP1

/// Sends one attempt of a delivery over HTTP and records what was sent and answered.
public struct HTTPSender: Sendable {
    let client: HTTPClient
    let configuration: DeliveryConfiguration

    public init(client: HTTPClient, configuration: DeliveryConfiguration) {
        self.client = client
        self.configuration = configuration
    }

    /// An HTTP client set up for webhook delivery: redirects are never followed (a 3xx is an
    /// answer, not an instruction), and a refused connection fails at once instead of retrying
    /// inside the client, so the retry schedule stays in charge.
    public static func makeClient(configuration: DeliveryConfiguration) -> HTTPClient {
        var settings = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(connect: .init(configuration.connectTimeout), read: .init(configuration.totalTimeout)))
        settings.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = max(8, configuration.concurrency)
        settings.connectionPool.retryConnectionEstablishment = false
        settings.decompression = .disabled
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: settings)
    }

    /// The bytes to send: frozen at the first attempt, rendered now otherwise.
    static func payload(for job: DeliveryJob) throws(TemplateError) -> (FrozenPayload, rendered: Bool) {
        if let payload = job.payload { return (payload, false) }
        let template = job.webhook.settings.template
        let body = try template.compile().render(job.values)
        return (FrozenPayload(body: body, contentType: template.format.contentType), true)
    }

    public func send(_ job: DeliveryJob, at start: Timestamp) async -> (Attempt, renderedPayload: FrozenPayload?) {
        let settings = job.webhook.settings
        let number = job.delivery.attemptCount + 1
        let clock = ContinuousClock.now
        func elapsed() -> Int {
            let duration = ContinuousClock.now - clock
            return Int(duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000)
        }

        var headers: [HeaderField] = []
        let payload: FrozenPayload
        let rendered: Bool
        do {
            (payload, rendered) = try Self.payload(for: job)
        } catch {
            let request = RecordedRequest(method: settings.method.rawValue, url: settings.url, headers: [], body: "")
            let attempt = Attempt(
                number: number, startedAt: start, durationMilliseconds: 0, request: request, response: nil, errorKind: .render,
                errorMessage: "template could not be rendered: \(error)")
            return (attempt, nil)
        }
        if !settings.headers.contains(where: { $0.name.lowercased() == "content-type" }) {
            headers.append(HeaderField(name: "Content-Type", value: payload.contentType))
        }
        headers.append(contentsOf: settings.headers)
        headers.append(HeaderField(name: "User-Agent", value: configuration.userAgent))
        headers.append(HeaderField(name: "webhook-id", value: job.delivery.id))

        let recordedRequest = RecordedRequest(
            method: settings.method.rawValue, url: settings.url, headers: Redaction.redacted(headers),
            body: String(decoding: payload.body, as: UTF8.self))

        var request = HTTPClientRequest(url: settings.url)
        request.method = HTTPMethod(rawValue: settings.method.rawValue)
        for header in headers { request.headers.add(name: header.name, value: header.value) }
        request.body = .bytes(ByteBuffer(bytes: payload.body))

        var response: RecordedResponse?
        var errorKind: AttemptErrorKind?
        var errorMessage: String?
        do {
            let answer = try await client.execute(request, timeout: .init(configuration.totalTimeout))
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
            }
        } catch {
            (errorKind, errorMessage) = Self.classify(error)
        }
        let attempt = Attempt(
            number: number, startedAt: start, durationMilliseconds: elapsed(), request: recordedRequest, response: response,
            errorKind: errorKind, errorMessage: errorMessage)
        return (attempt, rendered ? payload : nil)
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
