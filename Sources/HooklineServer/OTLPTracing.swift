import OTel
import ServiceLifecycle

/// OpenTelemetry traces over OTLP/HTTP, when `--otlp-endpoint` is set: a span for each API request
/// (Hummingbird's `TracingMiddleware`), for each ingest with its store write, and for each delivery
/// attempt, which continues the trace of the ingest that created it. The tracer is the process's
/// own, so it is bootstrapped once; the `OTEL_*` environment variables (protocol, headers, batch
/// delay) apply on top.
enum OTLPTracing {
    static func bootstrap(endpoint: String) throws -> any Service {
        var configuration = OTel.Configuration.default
        configuration.serviceName = "hookline"
        configuration.logs.enabled = false
        configuration.metrics.enabled = false
        configuration.traces.otlpExporter.endpoint = (endpoint.hasSuffix("/") ? String(endpoint.dropLast()) : endpoint) + "/v1/traces"
        return try OTel.bootstrap(configuration: configuration)
    }
}
