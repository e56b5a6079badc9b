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
        let router = buildRouter(store: store, intake: Intake(store: store, worker: nil, wakeup: Wakeup()), wakeup: Wakeup(), sender: HTTPSender(clients: HTTPClients(configuration: DeliveryConfiguration()), configuration: DeliveryConfiguration()), adminKeyDigest: "x", operations: operations)
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
