import Hummingbird
import HooklineCore

/// An error answer: `{"error": {"message": "…", "field": "…"}}`, with the field when one input is
/// at fault.
struct APIError: Error, HTTPResponseError {
    let status: HTTPResponse.Status
    let message: String
    let field: String?

    init(_ status: HTTPResponse.Status, _ message: String, field: String? = nil) {
        self.status = status
        self.message = message
        self.field = field
    }

    init(_ error: FieldError) {
        self.init(error.kind == .malformed ? .badRequest : .unprocessableContent, error.message, field: error.field)
    }

    var body: JSONObject {
        var error: JSONObject = ["message": .string(message)]
        if let field { error["field"] = .string(field) }
        return ["error": .object(error)]
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        JSONResponse(status: status, body).response
    }
}
