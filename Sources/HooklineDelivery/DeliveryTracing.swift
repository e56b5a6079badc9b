import HooklineCore
import HooklineStore
import Tracing

/// One trace from the request that reports an event to every attempt that delivers it, across the
/// queue: ingest stores the W3C `traceparent` of its span with the event, and each attempt, in
/// whichever process and however much later, continues that trace. With no tracer bootstrapped
/// (no `--otlp-endpoint`) nothing is stored and the spans cost a no-op.
enum DeliveryTracing {
    static let traceParentKey = "traceparent"

    /// The `traceparent` of the current span; nil when nothing traces.
    static func currentTraceParent() -> String? {
        guard let context = ServiceContext.current else { return nil }
        var carrier: [String: String] = [:]
        InstrumentationSystem.instrument.inject(context, into: &carrier, using: DictionaryInjector())
        return carrier[traceParentKey]
    }

    /// The context an attempt's span continues: the event's trace, when it was stored with one.
    static func context(continuing traceParent: String?) -> ServiceContext {
        var context = ServiceContext.topLevel
        if let traceParent {
            InstrumentationSystem.instrument.extract([traceParentKey: traceParent], into: &context, using: DictionaryExtractor())
        }
        return context
    }

    /// Sends an attempt in a span continuing the event's trace.
    static func traced(_ job: DeliveryJob, sender: HTTPSender, at start: Timestamp) async -> HTTPSender.Outcome {
        await withSpan("hookline.delivery.attempt", context: context(continuing: job.traceParent), ofKind: .client) { span in
            let outcome = await sender.send(job, at: start)
            describe(span, job: job, attempt: outcome.attempt)
            return outcome
        }
    }

    /// What a span says of a delivery's attempt.
    static func describe(_ span: any Span, job: DeliveryJob, attempt: Attempt) {
        span.attributes["hookline.webhook_id"] = job.webhook.id
        span.attributes["hookline.delivery_id"] = job.delivery.id
        span.attributes["hookline.event_kind"] = job.delivery.eventKind.rawValue
        span.attributes["hookline.attempt"] = attempt.number
        if let status = attempt.response?.status { span.attributes["http.response.status_code"] = status }
        if let error = attempt.errorMessage {
            span.attributes["error.type"] = attempt.errorKind?.rawValue ?? "error"
            span.setStatus(SpanStatus(code: .error, message: error))
        }
    }
}

struct DictionaryInjector: Injector {
    func inject(_ value: String, forKey key: String, into carrier: inout [String: String]) { carrier[key] = value }
}

struct DictionaryExtractor: Extractor {
    func extract(key: String, from carrier: [String: String]) -> String? { carrier[key] }
}
