import AsyncHTTPClient
import Foundation
import HooklineCore

/// What the bench waits for: the receiver's count of deliveries, while they keep coming.
extension Bench {
    /// A run fails once no delivery arrived for this long: its database is gone, say, and its
    /// server keeps answering while it waits for it.
    static let deliveryStallLimit: Duration = .seconds(60)

    static func stats(_ receiverURL: String) async throws -> JSONValue {
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: "\(receiverURL)/stats"), timeout: .seconds(10))
        return try JSONParser.parse(String(buffer: try await response.body.collect(upTo: 1 << 20)))
    }

    /// The receiver's stats once `count` deliveries arrived. Fails as soon as one of the processes
    /// sending them (`server` and `workers`) ended, with what it printed last, or when none
    /// arrived for `deliveryStallLimit`, with what the server says of its readiness.
    static func waitForDeliveries(_ receiverURL: String, count: Int, from server: Server, workers: [Child] = []) async throws -> JSONValue {
        var arrived = -1
        var lastArrival = ContinuousClock.now
        while true {
            let stats = try await stats(receiverURL)
            let soFar = Int(stats["count"]?.integerValue ?? 0)
            // Before the count: one of two workers that ended leaves the other to deliver it all,
            // and the run would measure a topology it was not.
            try Child.failIfOneEnded([server.child] + workers, context: "\(soFar) of \(count) deliveries arrived")
            if soFar >= count { return stats }
            if soFar != arrived { (arrived, lastArrival) = (soFar, .now) }
            let waited = "only \(soFar) of \(count) deliveries arrived"
            if ContinuousClock.now - lastArrival > deliveryStallLimit {
                throw CommandFailure(
                    "\(waited), none in the last \(deliveryStallLimit.components.seconds) s; the server's readiness: \(await server.readiness())")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }
}

extension Bench.Server {
    /// `GET /readyz` as the server answers it, or why it did not.
    func readiness() async -> String {
        do {
            let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: "\(url)/readyz"), timeout: .seconds(10))
            return String(buffer: try await response.body.collect(upTo: 1 << 16))
        } catch {
            return "no answer (\(error))"
        }
    }
}
