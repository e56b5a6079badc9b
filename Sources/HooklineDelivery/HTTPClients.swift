import AsyncHTTPClient
import HooklineCore
import Synchronization

/// The HTTP clients deliveries go through. A client's connect timeout and DNS overrides are fixed
/// when it is made, so there is one per connect timeout and, for HTTPS to a checked address, one
/// per (host, address): the connection goes to the address that was checked while TLS still
/// verifies the host name.
public final class HTTPClients: Sendable {
    static let maximumClients = 512
    /// Connections to one receiver (host and port) at a time; further requests to it wait for one
    /// to be free. With one per slot (1,024), a fan-out to 100 webhooks of one receiver opened
    /// about 900 connections, each set up for some twenty requests; capped, the same fan-out costs
    /// about 16 % less CPU per delivery (scripts/profile fanout, 2026-12-03). A receiver that hangs
    /// holds at most its webhooks' `max_in_flight` of them (64 by default).
    static let connectionsPerHost = 128

    let configuration: DeliveryConfiguration
    private let clients = Mutex<[String: HTTPClient]>([:])

    public init(configuration: DeliveryConfiguration) {
        self.configuration = configuration
    }

    /// A shared client, or nil when the cache is full (then use `makeClient` and shut it down).
    func client(connectTimeout: Duration, pinning host: String? = nil, to address: String? = nil) -> HTTPClient? {
        let key = "\(connectTimeout)|\(host ?? "")=\(address ?? "")"
        return clients.withLock { clients in
            if let client = clients[key] { return client }
            guard clients.count < Self.maximumClients else { return nil }
            let client = makeClient(connectTimeout: connectTimeout, pinning: host, to: address)
            clients[key] = client
            return client
        }
    }

    /// Redirects are never followed (a 3xx is an answer, not an instruction); a refused
    /// connection fails at once instead of retrying inside the client, so the retry schedule stays
    /// in charge. No idle read timeout: each request's deadline bounds it, and AsyncHTTPClient
    /// 1.37's idle-read state machine traps when a receiver answers and closes while the head is
    /// still being written (`IdleReadStateMachine.requestEndSent`, reached twice).
    func makeClient(connectTimeout: Duration, pinning host: String? = nil, to address: String? = nil) -> HTTPClient {
        var settings = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(connect: .init(connectTimeout), read: nil))
        settings.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = min(Self.connectionsPerHost, max(8, configuration.concurrency))
        settings.connectionPool.retryConnectionEstablishment = false
        settings.decompression = .disabled
        if let host, let address { settings.dnsOverride = [host: address] }
        // AsyncHTTPClient takes the bootstrapped tracer, a no-op one when tracing is off, and
        // opens a span with its attributes for every request: a cost per delivery for nothing.
        if !configuration.traced { settings.tracing.tracer = nil }
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: settings)
    }

    public func shutdown() async throws {
        let all = clients.withLock { clients in
            defer { clients.removeAll() }
            return Array(clients.values)
        }
        for client in all { try await client.shutdown() }
    }
}
