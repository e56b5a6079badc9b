import Hummingbird
import HooklineCore

/// A JSON answer written with Core's order-keeping writer, so API output has the field order the
/// code gives it.
struct JSONResponse: ResponseGenerator {
    let status: HTTPResponse.Status
    let value: JSONValue

    init(status: HTTPResponse.Status = .ok, _ object: JSONObject) {
        self.status = status
        self.value = .object(object)
    }

    /// A whole (unpaged) list: `{"data": [...]}`.
    init(listing items: [JSONObject]) {
        self.init(["data": .array(items.map(JSONValue.object))])
    }

    var response: Response {
        Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: value.jsonText)))
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        response
    }
}

extension Request {
    /// The body parsed as JSON: 413 above the context's limit, 400 naming the line and column
    /// when it is not JSON.
    func jsonBody(context: HooklineRequestContext) async throws -> (value: JSONValue, bytes: ByteBuffer) {
        let buffer = try await body.collect(upTo: context.maxUploadSize)
        guard buffer.readableBytes > 0 else { throw APIError(.badRequest, "the body is empty; send a JSON object", field: "body") }
        return (try Self.parse(buffer), buffer)
    }

    /// The body parsed as JSON, or nil when there is none (a route whose body is optional).
    func optionalJSONBody(context: HooklineRequestContext) async throws -> JSONValue? {
        let buffer = try await body.collect(upTo: context.maxUploadSize)
        // Not a ternary: `nil` there would be JSON's null, which `JSONValue` is literal for.
        guard buffer.readableBytes > 0 else { return nil }
        return try Self.parse(buffer)
    }

    private static func parse(_ buffer: ByteBuffer) throws -> JSONValue {
        do {
            return try JSONParser.parse(buffer.readableBytesView)
        } catch {
            throw APIError(.badRequest, "the body is not valid JSON: \(error)", field: "body")
        }
    }
}
