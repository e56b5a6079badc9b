import Hummingbird
import HooklineStore

extension PageRequest {
    /// `?limit=1..500&cursor=<id>`
    init(query: Request) throws {
        let parameters = query.uri.queryParameters
        var page = PageRequest()
        if let limit = parameters["limit"] {
            guard let value = Int(limit), (1...PageRequest.maximumLimit).contains(value) else {
                throw APIError(.badRequest, "must be a whole number from 1 to \(PageRequest.maximumLimit)", field: "limit")
            }
            page.limit = value
        }
        if let cursor = parameters["cursor"] {
            guard !cursor.isEmpty else { throw APIError(.badRequest, "must not be empty", field: "cursor") }
            page.cursor = String(cursor)
        }
        self = page
    }
}
