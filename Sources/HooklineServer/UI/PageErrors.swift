import Hummingbird

/// Errors on the UI's pages answer a page, with the same status and message the API would give.
struct PageErrors: RouterMiddleware {
    typealias Context = HooklineRequestContext
    let pages: Pages

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let answer = ErrorMiddleware.apiError(for: error, context: context)
            return pages.render(
                .error, title: answer.status.reasonPhrase, context: context, status: answer.status, ErrorView(status: answer.status.code, message: answer.message))
        }
    }
}
