import HooklineCore
@testable import HooklineServer
import HooklineDelivery
import HooklineStore
import Hummingbird
import Prometheus
import Testing

@Suite struct OpenAPITests {
    @Test func everyRouteIsDescribedAndEveryDescribedRouteExists() async throws {
        let store = try SQLiteStore(path: try Hookline.temporaryDatabase())
        let registry = PrometheusCollectorRegistry()
        let operations = OperationsController(
            store: store, worker: nil, metrics: HooklineMetrics(factory: PrometheusMetricsFactory(registry: registry)), registry: registry)
        let router = buildRouter(store: store, ingestion: Ingestion(store: store, worker: nil, wakeup: Wakeup()), wakeup: Wakeup(), sender: HTTPSender(clients: HTTPClients(configuration: DeliveryConfiguration()), configuration: DeliveryConfiguration()), adminKeyDigest: "x", operations: operations)
        let routes = Set(router.routes.map { "\($0.method.rawValue) \($0.path)" })
        let document = OpenAPIDocument.build()
        let paths = try #require(document["paths"]?.objectValue)
        var described = Set<String>()
        for (path, item) in paths {
            for (method, _) in try #require(item.objectValue) { described.insert("\(method.uppercased()) \(path)") }
        }
        #expect(routes.subtracting(described).isEmpty, "routes missing from /openapi.json: \(routes.subtracting(described).sorted())")
        #expect(described.subtracting(routes).isEmpty, "described but not routed: \(described.subtracting(routes).sorted())")
        #expect(routes.count >= 20)
    }

    @Test func everyReferenceResolvesAndIngestBodiesComeFromTheCatalogue() throws {
        let document = OpenAPIDocument.build()
        let schemas = try #require(document["components"]?["schemas"]?.objectValue)
        var references: [String] = []
        func collect(_ value: JSONValue) {
            switch value {
            case .object(let object):
                for (key, child) in object {
                    if key == "$ref", let ref = child.stringValue { references.append(ref) } else { collect(child) }
                }
            case .array(let elements): elements.forEach(collect)
            default: break
            }
        }
        collect(document)
        for reference in references {
            let name = String(reference.dropFirst("#/components/schemas/".count))
            #expect(schemas[name] != nil, "\(reference) does not resolve")
        }
        let callEnd = try #require(schemas["CallEndValues"]?["properties"]?.objectValue)
        #expect(callEnd["dialstatus"]?["enum"]?.arrayValue?.count == 9)
        #expect(callEnd["answered_time"]?["type"] == ["integer", "null"])
        let begin = try #require(schemas["CallBeginValues"]?["properties"]?.objectValue)
        let tokens = TokenCatalogue.standard.tokens.filter { EventKind.callBegin.acceptedCategories.contains($0.category) }
        #expect(begin.count == tokens.count + 2)
        #expect(begin["campaign"] != nil && begin["location"] != nil)
    }

    @Test func theDocumentIsServed() async throws {
        try await Hookline.run { hookline in
            let answer = try await hookline.call(.get, "/openapi.json", key: nil)
            #expect(answer["openapi"] == "3.1.0")
            #expect(answer["paths"]?["/v1/calls/{id}/end"]?["post"] != nil)
        }
    }
}

/// HTTP's method rules on every described path: HEAD answers as GET without a body, and a method
/// a path lacks is 405 with the methods it has.
@Suite struct MethodTests {
    @Test func headWhereverGetAndOtherMethodsAre405WithAllow() async throws {
        try await Hookline.run(runsWorkers: false) { hookline in
            let key = try await hookline.account()
            let paths = try #require(OpenAPIDocument.build()["paths"]?.objectValue)
            for (path, item) in paths {
                let described = Set(try #require(item.objectValue).keys.map { $0.uppercased() })
                let concrete = path.replacing(/\{[a-z_]+\}/, with: "unknown")
                let adminOnly = path.hasPrefix("/v1/accounts")
                let auth = adminOnly ? Hookline.adminKey : key
                if described.contains("GET") {
                    let get = try await hookline.call(.get, concrete, key: auth)
                    let head = try await hookline.call(.head, concrete, key: auth)
                    #expect(head.status == get.status, "HEAD \(path)")
                    #expect(head.text.isEmpty, "HEAD \(path) has a body")
                }
                for method in [HTTPRequest.Method.get, .post, .put, .patch, .delete, .trace] where !described.contains(method.rawValue) {
                    let answer = try await hookline.call(method, concrete, key: auth)
                    #expect(answer.status == .methodNotAllowed, "\(method) \(path): \(answer.status)")
                    #expect(answer.errorMessage?.contains("allows") == true, "\(method) \(path)")
                }
            }
            // The allowed list is in the Allow header.
            let response = try await hookline.client.execute(uri: "/v1/calls", method: .delete, headers: [.authorization: "Bearer \(key)"], body: nil)
            #expect(response.headers[.allow] == "GET, HEAD, POST")
            // A literal segment is not a parameter: extract has POST only.
            #expect(try await hookline.call(.get, "/v1/templates/extract", key: key).status == .methodNotAllowed)
        }
    }
}
