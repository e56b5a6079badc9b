import HooklineCore
import Testing

/// `hookline serve --otlp-endpoint`: one trace from the request that reports a call, through its
/// ingest and store write, to each attempt that delivers it, the first sent at once and a retry
/// leased from the store later, each span naming its webhook; received by a loopback OTLP/HTTP
/// collector of the test's own.
@Suite struct TracingTests {
    struct Span {
        let name: String
        let traceID: String
        let spanID: String
        let parentSpanID: String
        let attributes: [String: JSONValue]
    }

    /// Every span of the OTLP/JSON bodies the collector received.
    static func spans(_ bodies: [String]) -> [Span] {
        var spans: [Span] = []
        for body in bodies {
            guard let parsed = try? JSONParser.parse(body) else { continue }
            for resource in parsed["resourceSpans"]?.arrayValue ?? [] {
                for scope in resource["scopeSpans"]?.arrayValue ?? [] {
                    for span in scope["spans"]?.arrayValue ?? [] { spans.append(Self.span(span)) }
                }
            }
        }
        return spans
    }

    static func span(_ span: JSONValue) -> Span {
        var attributes: [String: JSONValue] = [:]
        for attribute in span["attributes"]?.arrayValue ?? [] {
            guard let key = attribute["key"]?.stringValue, let value = attribute["value"]?.objectValue?.first(where: { _ in true })?.1 else { continue }
            attributes[key] = value
        }
        let text = { (key: String) -> String in span[key]?.stringValue ?? "" }
        return Span(name: text("name"), traceID: text("traceId"), spanID: text("spanId"), parentSpanID: text("parentSpanId"), attributes: attributes)
    }

    @Test func oneTraceRunsFromTheIngestRequestThroughTheStoreToEachAttempt() async throws {
        try await Receiver.run { receiver in
            let server = try ServeCommandTests.ServerProcess(
                arguments: ["serve", "--db", try Hookline.temporaryDatabase(), "--port", "0", "--host", "127.0.0.1", "--otlp-endpoint", receiver.url("/ok/otlp")],
                environment: ["HOOKLINE_ADMIN_KEY": "trace-admin", "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL": "http/json", "OTEL_BSP_SCHEDULE_DELAY": "200"])
            let base = "http://127.0.0.1:\(try await server.port())"
            let key = try #require(try JSONParser.parse(try await ServeCommandTests.post(base + "/v1/accounts", key: "trace-admin", body: #"{"name": "Acme"}"#).1)["api_key"]?.stringValue)
            let webhook: JSONValue = [
                "name": "CRM", "url": .string(receiver.url("/flaky/1/crm")), "triggers": ["call.begin"], "retry": ["schedule": [0, 0.2], "max_age": 60],
                "template": ["format": "json", "body": #"{"id": "%callid%"}"#],
            ]
            let created = try await ServeCommandTests.post(base + "/v1/webhooks", key: key, body: webhook.jsonText)
            let webhookID = try #require(try JSONParser.parse(created.1)["id"]?.stringValue, "\(created)")
            #expect(try await ServeCommandTests.post(base + "/v1/calls", key: key, body: #"{"callid": "traced-1"}"#).0 == 201)

            @Sendable func attemptsOf(_ spans: [Span]) -> [Span] {
                spans.filter { $0.name == "hookline.delivery.attempt" && $0.attributes["hookline.webhook_id"] == .string(webhookID) }
            }
            try await eventually(timeout: .seconds(90), "both attempts' spans at the collector") {
                attemptsOf(Self.spans(await receiver.recorder.requests(to: "/ok/otlp").map(\.body))).count >= 2
            }
            let spans = Self.spans(await receiver.recorder.requests(to: "/ok/otlp").map(\.body))
            let attempts = attemptsOf(spans)
            #expect(await receiver.recorder.requests(to: "/ok/otlp").allSatisfy { $0.path == "/ok/otlp/v1/traces" })
            let ingest = try #require(spans.first { $0.name == "hookline.ingest" && $0.attributes["hookline.event_kind"] == "call.begin" })
            let request = try #require(spans.first { $0.spanID == ingest.parentSpanID }, "the ingest's parent is the request's span")
            #expect(spans.contains { $0.name == "hookline.store.write" && $0.parentSpanID == ingest.spanID }, "the store write inside the ingest")
            #expect(request.traceID == ingest.traceID && request.attributes["http.request.method"] == "POST", "\(request)")
            for attempt in attempts {
                #expect(attempt.traceID == ingest.traceID && attempt.parentSpanID == ingest.spanID, "each attempt continues the ingest's trace")
                #expect(attempt.attributes["hookline.delivery_id"]?.stringValue?.hasPrefix("dlv_") == true)
            }
            #expect(Set(attempts.compactMap { span in
                // OTLP/JSON writes 64-bit integers as strings.
                span.attributes["http.response.status_code"].flatMap { $0.integerValue ?? $0.stringValue.flatMap { Int64($0) } }
            }) == [500, 200], "the first failed, the retry from the store delivered")
            #expect(try await server.terminate() == 0)
        }
    }

    @Test func aMalformedEndpointIsRefusedAtStart() async throws {
        let server = try ServeCommandTests.ServerProcess(arguments: ["serve", "--db", try Hookline.temporaryDatabase(), "--port", "0", "--otlp-endpoint", "collector:4318"])
        try await eventually(timeout: .seconds(60), "the refusal") { !server.process.isRunning }
        #expect(server.process.terminationStatus != 0)
        #expect(server.text.contains("--otlp-endpoint must be an http:// or https:// address"), "\(server.text)")
    }
}
