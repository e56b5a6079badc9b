import Foundation
import HooklineCore
import Hummingbird
import Logging
import Synchronization

/// The demo's CRM: takes every request, prints it as it comes, and answers Roistat's CRM the
/// way Roistat's own CRM does (`{"status":"ok","order_id":…}`).
struct DemoReceiver {
    final class Counts: Sendable {
        let byPath = Mutex<[String: Int]>([:])

        func add(_ path: String) -> Int {
            byPath.withLock { counts in
                counts[path, default: 0] += 1
                return counts.values.reduce(0, +)
            }
        }

        var summary: String {
            byPath.withLock { $0.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") }
        }
    }

    let counts = Counts()

    /// Runs until cancelled; `ready` gets the port once it listens.
    func run(ready: @escaping @Sendable (Int) -> Void) async throws {
        let router = Router()
        let counts = counts
        router.on("**", method: .get) { request, _ in try await Self.answer(request, counts: counts) }
        router.on("**", method: .post) { request, _ in try await Self.answer(request, counts: counts) }
        router.on("**", method: .put) { request, _ in try await Self.answer(request, counts: counts) }
        var logger = Logger(label: "demo-crm")
        logger.logLevel = .critical
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in ready(channel.localAddress?.port ?? 0) }, logger: logger)
        try await app.runService()
    }

    static func answer(_ request: Request, counts: Counts) async throws -> Response {
        let body = String(buffer: try await request.body.collect(upTo: 1 << 20))
        let path = request.uri.path
        let total = counts.add(path)
        let shown = (body.isEmpty ? (request.uri.query ?? "") : body).replacingOccurrences(of: "\n", with: " ")
        let id = request.headers[HTTPFields.Element.Name("webhook-id")!] ?? ""
        say("  CRM ← \(request.method.rawValue) \(path)  \(shown.prefix(150))\(shown.count > 150 ? "…" : "")  [\(total) received\(id.isEmpty ? "" : ", \(id)")]")
        if path.hasPrefix("/roistat-crm") {
            let orderID = FormEncoding.query.decode(request.uri.query ?? "").first { $0.name == "id" }?.value ?? "0"
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: #"{"status":"ok","order_id":"\#(orderID)"}"#)))
        }
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: #"{"ok":true}"#)))
    }
}
