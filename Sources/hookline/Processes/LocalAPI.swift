import ArgumentParser
import AsyncHTTPClient
import HooklineCore
import NIOCore
import NIOHTTP1

/// Requests to a Hookline (or its receiver) this command started, on loopback.
enum LocalAPI {
    /// POSTs `body`, with the key as a bearer token; an answer of 300 or more is an error.
    @discardableResult
    static func post(_ url: String, key: String? = nil, body: String = "") async throws -> JSONValue {
        try await send(.POST, url, key: key, body: body)
    }

    /// Sends `body` with `method` (a PATCH of later data), as `post` does.
    @discardableResult
    static func send(_ method: HTTPMethod, _ url: String, key: String? = nil, body: String = "") async throws -> JSONValue {
        var request = HTTPClientRequest(url: url)
        request.method = method
        if let key { request.headers.add(name: "Authorization", value: "Bearer \(key)") }
        request.body = .bytes(ByteBuffer(string: body))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let text = String(buffer: try await response.body.collect(upTo: 1 << 20))
        guard response.status.code < 300 else { throw CommandFailure("\(method.rawValue) \(url) answered \(response.status.code): \(text)") }
        return (try? JSONParser.parse(text)) ?? .null
    }

}
