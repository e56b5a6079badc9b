import Foundation
import HooklineCore
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// What a receiver was sent.
struct ReceivedRequest: Sendable {
    var at: ContinuousClock.Instant = .now
    var method: String
    var path: String
    var query: String = ""
    var headers: HTTPFields
    var body: String

    var json: JSONValue? { try? JSONParser.parse(body) }
    func header(_ name: String) -> String? { headers.first { $0.name.canonicalName == name.lowercased() }?.value }
}

actor Recorder {
    private(set) var requests: [ReceivedRequest] = []
    private var failuresSoFar: [String: Int] = [:]
    /// Set when the test is over, so hanging handlers return and the receiver can stop.
    private(set) var isStopping = false

    func stop() { isStopping = true }

    /// While down, `/switch/…` answers 503.
    private(set) var isDown = false
    func setDown(_ down: Bool) { isDown = down }

    /// While set, `/hangwhile/…` does not answer.
    private(set) var isHanging = false
    func setHanging(_ hanging: Bool) { isHanging = hanging }

    func record(_ request: ReceivedRequest) { requests.append(request) }

    /// Counts a request to `path` and says whether it is still among the first `count`.
    func shouldFail(_ path: String, times count: Int) -> Bool {
        let seen = failuresSoFar[path, default: 0]
        failuresSoFar[path] = seen + 1
        return seen < count
    }

    func requests(to prefix: String) -> [ReceivedRequest] { requests.filter { $0.path.hasPrefix(prefix) } }

    /// Requests to `/held/…` being answered now, and the most there ever were at once.
    private(set) var held = 0
    private(set) var mostHeldAtOnce = 0
    func hold() {
        held += 1
        mostHeldAtOnce = max(mostHeldAtOnce, held)
    }
    func release() { held -= 1 }
}

struct ReceiverContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }
}

/// A real HTTP receiver on a random loopback port. The first path segment says how it behaves:
/// `/ok/…` answers 200, `/fail/…` 500, `/flaky/N/…` 500 for the first N requests to that path then
/// 200, `/hang/…` never answers, `/redirect/…` answers 302 to `/ok/redirected`, `/slow/…` 200 after 30 ms, `/switch/…` 503 while the recorder is down, `/hangwhile/…` no answer while the recorder hangs, `/gone/…` 410,
/// `/crm/N/…` answers 200 `{"status":"error"}` N times then `{"status":"ok","order_id":"deal-42"}` (Roistat's CRM protocol),
/// `/throttle/…` 429 with `Retry-After: 1` once, `/failcall/N/…` 500 for the first N requests of each call, `/drop/…` closes the connection without answering.
struct Receiver: Sendable {
    let port: Int
    let recorder: Recorder

    func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    static func run<T: Sendable>(_ body: @Sendable (Receiver) async throws -> T) async throws -> T {
        let recorder = Recorder()
        let router = Router(context: ReceiverContext.self)
        let respond: @Sendable (Request, ReceiverContext) async throws -> Response = { request, context in
            let bytes = try await request.body.collect(upTo: 2 * 1024 * 1024)
            let path = request.uri.path
            await recorder.record(
                ReceivedRequest(method: request.method.rawValue, path: path, query: request.uri.query ?? "", headers: request.headers, body: String(buffer: bytes)))
            let segments = path.split(separator: "/")
            switch segments.first {
            case "ok":
                return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: #"{"status":"ok"}"#)))
            case "fail":
                return Response(status: .internalServerError, body: .init(byteBuffer: ByteBuffer(string: "boom")))
            case "flaky":
                let times = segments.count > 1 ? Int(segments[1]) ?? 1 : 1
                let fail = await recorder.shouldFail(path, times: times)
                return Response(status: fail ? .internalServerError : .ok)
            case "hang":
                while !(await recorder.isStopping) { try await Task.sleep(for: .milliseconds(50)) }
                return Response(status: .ok)
            case "slow":
                try await Task.sleep(for: .milliseconds(30))
                return Response(status: .ok)
            case "held":
                await recorder.hold()
                try await Task.sleep(for: .milliseconds(20))
                await recorder.release()
                return Response(status: .ok)
            case "hangwhile":
                while await recorder.isHanging, !(await recorder.isStopping) { try await Task.sleep(for: .milliseconds(50)) }
                return Response(status: .ok)
            case "switch":
                return Response(status: await recorder.isDown ? .serviceUnavailable : .ok)
            case "crm":
                let times = segments.count > 1 ? Int(segments[1]) ?? 1 : 1
                let refuse = await recorder.shouldFail(path, times: times)
                let answer = refuse ? #"{"status":"error","message":"try later"}"# : #"{"status":"ok","order_id":"deal-42"}"#
                return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: answer)))
            case "gone":
                return Response(status: .gone)
            case "throttle":
                // 429 with Retry-After: 1 the first time, then 200.
                let throttle = await recorder.shouldFail(path, times: 1)
                return throttle ? Response(status: .tooManyRequests, headers: [.retryAfter: "1"]) : Response(status: .ok)
            case "slowdown":
                // `/slowdown/N/…`: always 429 with Retry-After: N.
                let seconds = segments.count > 1 ? Int(segments[1]) ?? 1 : 1
                return Response(status: .tooManyRequests, headers: [.retryAfter: String(seconds)])
            case "failcall":
                // `/failcall/N/…`: 500 for the first N requests of each call (by the body's "id").
                let times = segments.count > 1 ? Int(segments[1]) ?? 1 : 1
                let call = (try? JSONParser.parse(String(buffer: bytes)))?["id"]?.stringValue ?? ""
                let fail = await recorder.shouldFail("\(path)#\(call)", times: times)
                return Response(status: fail ? .internalServerError : .ok)
            case "redirect":
                return Response(status: .found, headers: [.location: "/ok/redirected"])
            case "drop":
                try await context.channel.close()
                return Response(status: .ok)
            default:
                return Response(status: .notFound)
            }
        }
        for method in [HTTPRequest.Method.post, .put, .patch, .get] {
            router.on("**", method: method) { request, context in try await respond(request, context) }
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)), logger: .init(label: "receiver"))
        return try await app.test(.live) { client in
            do {
                let result = try await body(Receiver(port: client.port!, recorder: recorder))
                await recorder.stop()
                return result
            } catch {
                await recorder.stop()
                throw error
            }
        }
    }
}

/// Polls until `condition` holds; fails the test after `timeout`. Deliveries are asynchronous, so
/// tests wait for an outcome rather than for a fixed time. The default is generous: with the whole
/// suite running beside two busy cores, 30 calls' lives took longer than a minute.
func eventually(
    timeout: Duration = .seconds(180), _ what: String = "condition", sourceLocation: SourceLocation = #_sourceLocation,
    _ condition: @Sendable () async throws -> Bool,
    onTimeout: @Sendable () async -> String = { "" }
) async throws {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(20))
    }
    // Once more after the deadline: a starved task may wake past it with the condition met.
    if try await condition() { return }
    let detail = await onTimeout()
    Issue.record("timed out waiting for \(what)\(detail.isEmpty ? "" : ": " + detail)", sourceLocation: sourceLocation)
    throw CancellationError()
}
