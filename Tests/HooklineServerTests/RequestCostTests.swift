import Foundation
import GRDB
import HooklineCore
import Hummingbird
import HummingbirdTesting
import PropertyBased
import Synchronization
import Testing

/// What one request stores grows at most linearly with its size: every byte Hookline keeps for a
/// request (every column of every row it writes) is at most `factor` times the request's body,
/// plus a fixed allowance for ids, times and keys. Generated bodies carry what once multiplied:
/// long keys over long arrays, deep nesting, long text of wide characters and combining marks.
@Suite struct RequestCostTests {
    static let factor = 4
    /// Ids, timestamps, idempotency keys and delivery rows that do not depend on the body.
    static let allowance = 4096

    /// The shape of one generated body.
    struct Shape: Sendable, CustomStringConvertible {
        var keyLength: Int
        var arrayLength: Int
        var depth: Int
        var text: String
        var description: String { "key \(keyLength), array \(arrayLength), depth \(depth), text \(text.utf8.count) bytes" }

        var longKey: String { String(repeating: "k", count: keyLength) }
        var zeros: JSONValue { .array(Array(repeating: .integer(0), count: arrayLength)) }
        var nested: JSONValue { (0..<depth).reduce(JSONValue.string(text)) { inner, _ in ["n": inner] } }
    }

    static let units = ["a", "я", "😀", "\"", "e\u{301}", "\"\u{301}", "<&>", "\n", "\\"]
    static let shapes = zip(
        Gen.int(in: 1...1500), Gen.int(in: 0...5000), Gen.int(in: 0...40), Gen.element(of: units), Gen.int(in: 0...1500)
    ).map { key, array, depth, unit, repeats in
        Shape(keyLength: key, arrayLength: array, depth: depth, text: String(repeating: unit ?? "a", count: repeats))
    }

    /// Bytes in every column of every row of the database.
    static func storedBytes(_ path: String) throws -> Int {
        let queue = try DatabaseQueue(path: path, configuration: { var c = Configuration(); c.readonly = true; return c }())
        return try queue.read { db in
            var total = 0
            let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
            for table in tables {
                let columns = try Row.fetchAll(db, sql: "PRAGMA table_info(\(table.quotedDatabaseIdentifier))").map { $0["name"] as String }
                guard !columns.isEmpty else { continue }
                let sum = columns.map { "COALESCE(SUM(LENGTH(CAST(\($0.quotedDatabaseIdentifier) AS BLOB))), 0)" }.joined(separator: " + ")
                total += try Int.fetchOne(db, sql: "SELECT \(sum) FROM \(table.quotedDatabaseIdentifier)") ?? 0
            }
            return total
        }
    }

    /// One route that takes outside input, and the body it gets for a shape; `path` may name the
    /// call or lead (`ID`), made first by `prepare` when the route needs one.
    struct Route: Sendable, CustomStringConvertible {
        let description: String
        let path: @Sendable (_ sources: [String: String]) -> String
        let contentType: String
        var prepare: String? = nil
        var method: HTTPRequest.Method = .post
        let body: @Sendable (_ shape: Shape, _ id: String) -> String
    }

    static func form(_ pairs: [(String, String)]) -> String {
        pairs.map { FormEncoding.form.encode($0.0) + "=" + FormEncoding.form.encode($0.1) }.joined(separator: "&")
    }

    static let routes: [Route] = [
        Route(description: "POST /v1/calls", path: { _ in "/v1/calls" }, contentType: "application/json") { shape, id in
            JSONValue.object(["callid": .string(id), "ani": .string(String(shape.text.prefix(200))), "utm_source": .string(shape.text)]).jsonText
        },
        Route(description: "POST /v1/leads", path: { _ in "/v1/leads" }, contentType: "application/json") { shape, id in
            JSONValue.object(["lead_id": .string(id), "lead_text": .string(shape.text), "lead_title": .string(shape.text)]).jsonText
        },
        Route(description: "POST /v1/calls/{id}/end", path: { _ in "/v1/calls/ID/end" }, contentType: "application/json", prepare: "/v1/calls") { shape, _ in
            JSONValue.object(["dialstatus": "ANSWER", "rec_audiourl": .string(shape.text), "utm_term": .string(shape.text)]).jsonText
        },
        Route(description: "PATCH /v1/calls/{id}", path: { _ in "/v1/calls/ID" }, contentType: "application/json", prepare: "/v1/calls", method: .patch) { shape, _ in
            JSONValue.object(["transcript": .string(shape.text), "call_note": .string(shape.text), "custom_fields": [shape.nested]]).jsonText
        },
        Route(description: "POST /v1/conversions", path: { _ in "/v1/conversions" }, contentType: "application/json", prepare: "/v1/calls") { shape, id in
            JSONValue.object(["call_id": .string(id), "conversion_name": .string(shape.text), "conversion_fields": ["deep": shape.nested, "zeros": shape.zeros]]).jsonText
        },
        Route(description: "POST /v1/messages", path: { _ in "/v1/messages" }, contentType: "application/json", prepare: "/v1/leads") { shape, id in
            JSONValue.object(["lead_id": .string(id), "message_text": .string(shape.text), "message_title": .string(shape.text)]).jsonText
        },
        Route(description: "POST /v1/templates", path: { _ in "/v1/templates" }, contentType: "application/json") { shape, id in
            let example = JSONValue.object(JSONObject([("id", .string(id)), (shape.longKey, shape.zeros), ("deep", shape.nested)])).jsonText
            return JSONValue.object(["name": .string(id), "group": .string("G" + shape.text.prefix(100)), "format": "json", "example": .string(example), "mapping": [:]]).jsonText
        },
        Route(description: "POST /v1/templates/extract", path: { _ in "/v1/templates/extract" }, contentType: "application/json") { shape, _ in
            JSONValue.object(["format": "json", "example": .string(JSONValue.object(JSONObject([(shape.longKey, shape.zeros), ("deep", shape.nested)])).jsonText)]).jsonText
        },
        Route(description: "POST /v1/webhooks", path: { _ in "/v1/webhooks" }, contentType: "application/json") { shape, id in
            let body = JSONValue.object(JSONObject([("id", "%callid%"), (shape.longKey, shape.zeros), ("note", .string(shape.text))])).jsonText
            return JSONValue.object([
                "name": .string(id), "url": "http://127.0.0.1:9/crm", "triggers": ["call.begin"], "template": ["format": "json", "body": .string(body)],
            ]).jsonText
        },
        Route(description: "POST /v1/replays", path: { _ in "/v1/replays" }, contentType: "application/json") { shape, id in
            let subjects = (0..<min(ReplayFilter.mostSubjects, shape.arrayLength / 5)).map { JSONValue.string("\(id)-\(shape.longKey.prefix(150))-\($0)") }
            return JSONValue.object(["status": ["dead", "failed"], "kinds": ["call.begin", "call.end"], "subject_ids": .array(subjects)]).jsonText
        },
        Route(description: "source json", path: { $0["json"]! }, contentType: "application/json") { shape, id in
            JSONValue.object(
                JSONObject([
                    ("event", "call_ended"), ("call", ["id": .string(id), "from": "+1 555 0100"]), (shape.longKey, shape.zeros), ("deep", shape.nested),
                    ("note", .string(shape.text)),
                ])
            ).jsonText
        },
        Route(description: "source roistat.call", path: { $0["roistat.call"]! }, contentType: "application/json") { shape, id in
            JSONValue.object(
                JSONObject([
                    ("id", .string(id)), ("caller", "79990009911"), ("visit_id", .string(shape.text)), ("landing_page", .string(shape.text)),
                    ("status", "ANSWER"), (shape.longKey, shape.zeros), ("custom_fields", [shape.nested]),
                ])
            ).jsonText
        },
        Route(description: "source envybox", path: { $0["envybox"]! }, contentType: "application/x-www-form-urlencoded") { shape, id in
            form([("webhooktype", "2"), ("call_id", id), ("phone", "79999999999"), ("utm_source", shape.text), (shape.longKey, String(repeating: "0,", count: shape.arrayLength))])
        },
        Route(description: "source roistat.crm", path: { $0["roistat.crm"]! }, contentType: "application/x-www-form-urlencoded") { shape, id in
            form([("action", "lead"), ("id", id), ("title", shape.text), ("text", shape.text), (shape.longKey, String(repeating: "0,", count: shape.arrayLength))])
        },
    ]

    @Test(arguments: routes)
    func whatARequestStoresIsAtMostFourTimesItsBody(route: Route) async throws {
        let database = try Hookline.temporaryDatabase()
        try await Hookline.run(database: database, runsWorkers: false) { hookline in
            let key = try await hookline.account()
            _ = try await hookline.webhook(key: key, url: "http://127.0.0.1:9/crm")
            _ = try await hookline.webhook(key: key, url: "http://127.0.0.1:9/crm", triggers: [.leadCreated], body: #"{"id": "%lead_id%"}"#)
            var sources: [String: String] = [:]
            for kind in ["json", "roistat.call", "envybox", "roistat.crm"] {
                sources[kind] = try await SourcesTests.source(hookline, key: key, kind: kind, options: kind == "json" ? JSONInboundOptions.options : [:]).path
            }
            let counter = Mutex(0)
            await propertyCheck(count: 8, input: Self.shapes) { shape in
                let id = "cost-\(counter.withLock { $0 += 1; return $0 })"
                let body = route.body(shape, id)
                if let prepare = route.prepare {
                    let made = try await hookline.call(.post, prepare, key: key, json: prepare == "/v1/calls" ? ["callid": .string(id)] : ["lead_id": .string(id)])
                    #expect(made.status == .created, "\(made.text)")
                }
                let before = try Self.storedBytes(database)
                let response = try await hookline.client.execute(
                    uri: route.path(sources).replacingOccurrences(of: "ID", with: id), method: route.method, headers: [.contentType: route.contentType, .authorization: "Bearer \(key)"], body: ByteBuffer(string: body))
                let answer = (status: response.status, text: String(buffer: response.body))
                let stored = try Self.storedBytes(database) - before
                #expect(answer.status.code < 300, "\(route) refused \(shape): \(answer.text.prefix(300))")
                #expect(
                    stored <= Self.factor * body.utf8.count + Self.allowance,
                    "\(route): \(stored) bytes stored for a body of \(body.utf8.count) (\(shape)); answered \(answer.status.code)")
            }
        }
    }

    /// The UI's forms: a call-treatment option and a source, as a signed-in browser posts them.
    @Test func whatAFormStoresIsAtMostFourTimesItsBody() async throws {
        let database = try Hookline.temporaryDatabase()
        try await Hookline.run(database: database, runsWorkers: false) { hookline in
            let (key, browser) = try await WizardTests.signedIn(hookline)
            let webhook = try await hookline.webhook(key: key, url: "http://127.0.0.1:9/crm", triggers: [.callEnd])
            let counter = Mutex(0)
            await propertyCheck(count: 6, input: Self.shapes) { shape in
                let index = counter.withLock { $0 += 1; return $0 }
                let long = shape.longKey + shape.text
                for (path, fields) in [
                    ("/treatments", [("question", "Q\(index) " + long), ("response", long), ("webhook_id", webhook)]),
                    ("/sources", [("name", "S\(index) " + long), ("kind", "roistat.call"), ("user", ""), ("password", ""), ("key", "")]),
                ] {
                    let page = try await browser.request(.get, path)
                    let sent = (Browser.hiddenInputs(in: page.text).filter { pair in !fields.contains { $0.0 == pair.0 } } + fields)
                        .map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }.joined(separator: "&")
                    let before = try Self.storedBytes(database)
                    let answer = try await browser.submit(page.text, to: path, fields)
                    let stored = try Self.storedBytes(database) - before
                    #expect(answer.status.code < 500, "\(path): \(answer.status)")
                    #expect(
                        stored <= Self.factor * sent.utf8.count + Self.allowance,
                        "\(path): \(stored) bytes stored for a form of \(sent.utf8.count) (\(shape)); answered \(answer.status.code)")
                }
            }
        }
    }
}
