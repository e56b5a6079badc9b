import AsyncHTTPClient
import Foundation
import HooklineCore
import HooklineDelivery
import HooklineServer
import HooklineStore
import HooklineTestSupport
import Hummingbird
import HummingbirdTesting
import Testing

/// Hookline itself, built the way `hookline serve` builds it, on a random loopback port and a
/// real SQLite file.
struct Hookline: Sendable {
    static let adminKey = "test-admin-key"

    let client: any TestClientProtocol

    static func temporaryDatabase() throws -> String {
        try TestScratch.folder("server").appendingPathComponent("hookline.sqlite").path
    }

    /// The tests' server waits long for a request: when every test starts at once on a loaded
    /// two-core machine, a client may not get to send its request head within the production
    /// 10 s. `SlowClientTests` checks the deadlines with its own.
    static let patientTimeouts = ConnectionTimeouts(head: .seconds(120), body: .seconds(120))

    static func run<T: Sendable>(
        database: String? = nil, runsWorkers: Bool = true, allowPrivateDestinations: Bool = true, concurrency: Int = DeliveryConfiguration().concurrency,
        connectionTimeouts: ConnectionTimeouts = Hookline.patientTimeouts, store: (any Store)? = nil,
        _ body: @Sendable (Hookline) async throws -> T
    ) async throws -> T {
        let path = try database ?? temporaryDatabase()
        var configuration = AppConfiguration(host: "127.0.0.1", port: 0, databasePath: path, adminKey: adminKey, runsWorkers: runsWorkers, logLevel: .critical)
        configuration.delivery.pollInterval = .milliseconds(200)
        configuration.delivery.allowPrivateDestinations = allowPrivateDestinations
        configuration.delivery.concurrency = concurrency
        configuration.connectionTimeouts = connectionTimeouts
        let app = try await buildApplication(configuration, store: try store ?? SQLiteStore(path: path) as any Store)
        return try await app.test(.live) { client in try await body(Hookline(client: client)) }
    }

    struct Answer: Sendable {
        let status: HTTPResponse.Status
        let json: JSONValue
        let text: String

        subscript(key: String) -> JSONValue? { json[key] }
        var errorField: String? { json["error"]?["field"]?.stringValue }
        var errorMessage: String? { json["error"]?["message"]?.stringValue }
    }

    @discardableResult
    func call(_ method: HTTPRequest.Method, _ path: String, key: String?, body: String? = nil, headers extra: HTTPFields = [:]) async throws -> Answer {
        var headers = extra
        if let key { headers[.authorization] = "Bearer \(key)" }
        if body != nil { headers[.contentType] = "application/json" }
        let response = try await client.execute(uri: path, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
        let text = String(buffer: response.body)
        return Answer(status: response.status, json: (try? JSONParser.parse(text)) ?? .null, text: text)
    }

    @discardableResult
    func call(_ method: HTTPRequest.Method, _ path: String, key: String?, json: JSONValue, headers: HTTPFields = [:]) async throws -> Answer {
        try await call(method, path, key: key, body: json.jsonText, headers: headers)
    }

    /// `call` as one of many clients sending at once: over a pool of connections (the test
    /// client sends one request at a time on one), with a deadline a loaded machine does not pass.
    func send(_ method: HTTPRequest.Method, _ path: String, key: String, json: JSONValue) async throws -> Answer {
        let port = try #require(client.port)
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        request.method = .RAW(value: method.rawValue)
        request.headers.add(name: "Authorization", value: "Bearer \(key)")
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: json.jsonText))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(120))
        let text = String(buffer: try await response.body.collect(upTo: 1 << 22))
        return Answer(status: HTTPResponse.Status(code: Int(response.status.code)), json: (try? JSONParser.parse(text)) ?? .null, text: text)
    }

    /// A new account's API key.
    func account(_ name: String = "Acme") async throws -> String {
        let answer = try await call(.post, "/v1/accounts", key: Self.adminKey, json: ["name": .string(name)])
        #expect(answer.status == .created)
        return try #require(answer["api_key"]?.stringValue)
    }

    func webhook(
        key: String, url: String, triggers: [EventKind] = [.callBegin, .callEnd], body: String = #"{"id": "%callid%"}"#,
        retry: JSONValue = ["schedule": [0, 0.2], "max_age": 60], headers: JSONValue = [:], extra: JSONObject = [:]
    ) async throws -> String {
        let fields: JSONObject = [
            "name": "test", "url": .string(url), "triggers": .array(triggers.map { .string($0.rawValue) }),
            "template": ["format": "json", "body": .string(body)], "retry": retry, "headers": headers,
            // Long, so a receiver slow to answer on a loaded machine is not sent the request again
            // and tests can count requests exactly; tests of timeouts set their own.
            "timeouts": ["connect": 10, "total": 60],
        ]
        let answer = try await call(.post, "/v1/webhooks", key: key, json: .object(fields.merging(extra)))
        #expect(answer.status == .created, "\(answer.text)")
        return try #require(answer["id"]?.stringValue)
    }

    func deliveries(key: String, query: String = "") async throws -> [JSONValue] {
        try await call(.get, "/v1/deliveries\(query)", key: key)["data"]?.arrayValue ?? []
    }

    func delivery(key: String, _ id: String) async throws -> Answer {
        try await call(.get, "/v1/deliveries/\(id)", key: key)
    }
}
