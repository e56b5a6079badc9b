import HooklineDelivery
import HooklineDelivery
import ServiceLifecycle

/// Shuts the delivery HTTP clients down after the services that use them have stopped.
struct HTTPClientService: Service {
    let clients: HTTPClients

    func run() async throws {
        try? await gracefulShutdown()
        try await clients.shutdown()
    }
}
