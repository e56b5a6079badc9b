import AsyncHTTPClient
import HooklineCore
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
            // Not through the test client: its connection, opened at start, may already have been
            // idle for longer than the 2 s this server allows on a busy machine.
            var create = HTTPClientRequest(url: "http://127.0.0.1:\(port)/v1/accounts")
            create.method = .POST
            create.headers.add(name: "Authorization", value: "Bearer \(Hookline.adminKey)")
            create.headers.add(name: "Connection", value: "close")
            create.body = .bytes(ByteBuffer(string: #"{"name": "Slow"}"#))
            let created = try await HTTPClient.shared.execute(create, timeout: .seconds(30))
            let key = try #require(try JSONParser.parse(String(buffer: try await created.body.collect(upTo: 1 << 16)))["api_key"]?.stringValue)
            var slowHeads: [any Channel] = []
            var slowBodies: [any Channel] = []
            var idle: [any Channel] = []
            let started = ContinuousClock.now
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
            // Trickle a byte at a time on the slow ones, and check others are served meanwhile. The
            // deadline counts from the last connection: on a loaded host opening eighty took a minute.
            let deadline = ContinuousClock.now + .seconds(120)
            var served = 0
            var trickled = 0
            while ContinuousClock.now < deadline, everyone.contains(where: \.isActive) {
                for channel in slowHeads where channel.isActive {
                    try? await Self.send(trickled == 0 ? "G" : "X", on: channel)
                }
                for channel in slowBodies where channel.isActive { try? await Self.send(" ", on: channel) }
                trickled += 1
                // On a connection of its own, closed after the answer: a kept-alive one (the test
                // client's, or the shared pool's) is closed by the server after 2 s idle, and on a
                // busy machine a request can meet it just as it closes.
                var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/healthz")
                request.headers.add(name: "Connection", value: "close")
                let health = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
                #expect(health.status == .ok)
                served += 1
                try await Task.sleep(for: .milliseconds(250))
            }
            let open = everyone.filter(\.isActive).count
            #expect(open == 0, "\(open) slow or idle connections still open after 120 s")
            // Bytes came after the request began, and the connections lasted at least their 2 s: it
            // was the deadline that closed them, not the trickle (a busy machine only makes both
            // take longer, and may close them all before a second round of bytes).
            #expect(trickled >= 1)
            #expect(served >= 1)
            #expect(ContinuousClock.now - started >= .seconds(2))
            for channel in everyone { try? await channel.close() }
        }
    }
}
