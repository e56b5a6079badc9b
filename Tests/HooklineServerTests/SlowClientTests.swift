import AsyncHTTPClient
import HooklineServer
import NIOCore
import NIOPosix
import Testing

/// Slow and idle clients are closed on their deadlines while everyone else is served.
@Suite struct SlowClientTests {
    static func connect(_ port: Int) async throws -> any Channel {
        try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton).connect(host: "127.0.0.1", port: port).get()
    }

    static func send(_ text: String, on channel: any Channel) async throws {
        try await channel.writeAndFlush(ByteBuffer(string: text)).get()
    }

    @Test func slowHeadsSlowBodiesAndIdleConnectionsAreClosed() async throws {
        let timeouts = ConnectionTimeouts(head: .seconds(2), body: .seconds(2), idle: .seconds(2))
        try await Hookline.run(runsWorkers: false, connectionTimeouts: timeouts) { hookline in
            let port = try #require(hookline.client.port)
            let key = try await hookline.account()
            var slowHeads: [any Channel] = []
            var slowBodies: [any Channel] = []
            var idle: [any Channel] = []
            for _ in 0..<40 { slowHeads.append(try await Self.connect(port)) }
            for _ in 0..<20 {
                let channel = try await Self.connect(port)
                try? await Self.send("POST /v1/calls HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(key)\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{", on: channel)
                slowBodies.append(channel)
            }
            for _ in 0..<20 {
                let channel = try await Self.connect(port)
                try? await Self.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n", on: channel)
                idle.append(channel)
            }
            let everyone = slowHeads + slowBodies + idle
            // Trickle a byte at a time on the slow ones, and check others are served meanwhile.
            let deadline = ContinuousClock.now + .seconds(60)
            var served = 0
            var trickled = 0
            while ContinuousClock.now < deadline, everyone.contains(where: \.isActive) {
                for channel in slowHeads where channel.isActive {
                    try? await Self.send(trickled == 0 ? "G" : "X", on: channel)
                }
                for channel in slowBodies where channel.isActive { try? await Self.send(" ", on: channel) }
                trickled += 1
                // On a connection of its own: the test client's kept-alive one is closed when idle too.
                let health = try await HTTPClient.shared.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/healthz"), timeout: .seconds(30))
                #expect(health.status == .ok)
                served += 1
                try await Task.sleep(for: .milliseconds(500))
            }
            let open = everyone.filter(\.isActive).count
            #expect(open == 0, "\(open) slow or idle connections still open after 60 s")
            // They were kept busy past their deadline, so it was the deadline that closed them.
            #expect(trickled >= 4)
            #expect(served >= 4)
            for channel in everyone { try? await channel.close() }
        }
    }
}
