import Hummingbird
import HooklineCore
import HooklineStore
import NIOCore

/// Turns every error into a JSON answer, so clients always get `{"error": {"message": …}}`.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = HooklineRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let apiError = Self.apiError(for: error, context: context)
            return JSONResponse(status: apiError.status, apiError.body).response
        }
    }

    static func apiError(for error: any Error, context: Context) -> APIError {
        switch error {
        case let error as APIError:
            return error
        case let error as FieldError:
            return APIError(error)
        case let error as StoreError:
            switch error {
            case .notFound(let message): return APIError(.notFound, message)
            case .conflict(let message): return APIError(.conflict, message)
            case .idempotencyKeyReused(let message): return APIError(.unprocessableContent, message, field: "Idempotency-Key")
            case .storageFull(let message): return APIError(.init(code: 507, reasonPhrase: "Insufficient Storage"), message)
            case .tooLarge(let message): return APIError(.contentTooLarge, message, field: "body")
            case .unavailable(let message): return APIError(.serviceUnavailable, message)
            }
        case is NIOTooManyBytesError:
            return APIError(.contentTooLarge, "the body is larger than \(context.maxUploadSize / 1024) KiB", field: "body")
        case let error as HTTPError:
            return APIError(error.status, error.body ?? (error.status == .notFound ? "no such route" : error.status.reasonPhrase))
        default:
            context.logger.error("request failed", metadata: ["error": "\(String(reflecting: error))"])
            return APIError(.internalServerError, "internal error")
        }
    }
}
