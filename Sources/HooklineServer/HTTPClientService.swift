import AsyncHTTPClient
import AsyncHTTPClient
import ServiceLifecycle

/// Shuts the shared HTTP client down after the services that use it have stopped.
struct HTTPClientService: Service {
    let client: HTTPClient

    func run() async throws {
        try? await gracefulShutdown()
        try await client.shutdown()
    }
}
