import Hummingbird
import HooklineCore

/// HTTP's rules on methods, around the router: `HEAD` is answered wherever `GET` is (the same
/// head, no body), and a method a path does not have is `405` with `Allow`, where the router alone
/// would say the path does not exist.
struct MethodsResponder<Base: HTTPResponder>: HTTPResponder where Base.Context == HooklineRequestContext {
    typealias Context = HooklineRequestContext

    /// A route's path split into segments; `nil` stands for a parameter such as `{id}`.
    private struct Route {
        let segments: [Substring?]
        let methods: Set<HTTPRequest.Method>
    }

    private let base: Base
    /// Routes without a parameter, by their path: most requests' paths are found here at once.
    private let literalRoutes: [String: Set<HTTPRequest.Method>]
    private let routesBySegmentCount: [Int: [Route]]

    init(base: Base, routes: [(path: String, method: HTTPRequest.Method)]) {
        self.base = base
        var methodsByPath: [String: Set<HTTPRequest.Method>] = [:]
        for route in routes { methodsByPath[route.path, default: []].insert(route.method) }
        let all = methodsByPath.map { path, methods in
            Route(segments: path.split(separator: "/").map { $0.hasPrefix("{") || $0.hasPrefix(":") ? nil : $0 }, methods: methods)
        }
        routesBySegmentCount = Dictionary(grouping: all, by: \.segments.count)
        literalRoutes = Dictionary(
            all.filter { !$0.segments.contains(nil) }.map { ("/" + $0.segments.compactMap { $0 }.joined(separator: "/"), $0.methods) },
            uniquingKeysWith: { $0.union($1) })
    }

    /// The methods of the route that `path` names, if any does. A literal segment wins over a
    /// parameter, as in the router (`/v1/templates/extract` is not `/v1/templates/{id}`).
    func allowedMethods(for path: String) -> Set<HTTPRequest.Method>? {
        if let methods = literalRoutes[path] { return methods }
        let segments = path.split(separator: "/")
        return routesBySegmentCount[segments.count]?.filter { route in
            zip(route.segments, segments).allSatisfy { $0 == nil || $0 == $1 }
        }.max { $0.segments.count(where: { $0 != nil }) < $1.segments.count(where: { $0 != nil }) }?.methods
    }

    func respond(to request: Request, context: Context) async throws -> Response {
        guard let allowed = allowedMethods(for: request.uri.path) else { return try await base.respond(to: request, context: context) }
        let method = request.method == .head ? .get : request.method
        guard allowed.contains(method) else {
            var names = allowed.map(\.rawValue)
            if allowed.contains(.get) { names.append("HEAD") }
            let list = names.sorted().joined(separator: ", ")
            let error = APIError(.methodNotAllowed, "\(Echo.quoted(request.uri.path)) allows \(list), not \(request.method.rawValue)")
            var response = JSONResponse(status: error.status, error.body).response
            response.headers[.allow] = list
            if request.method == .head { response.body = .init() }
            return response
        }
        guard request.method == .head else { return try await base.respond(to: request, context: context) }
        var head = request.head
        head.method = .get
        var response = try await base.respond(to: Request(head: head, body: request.body), context: context)
        let length = response.body.contentLength
        response.body = .init()
        if let length { response.headers[.contentLength] = String(length) }
        return response
    }
}
