import HTTPTypes
import NIOCore
import NIOEmbedded
import NIOHTTPTypes
import Testing

@testable import HooklineServer

/// Each phase of a connection keeps its own deadline, on the event loop's clock: an embedded loop
/// moves time by hand, so these cases are exact and take no wall-clock time.
@Suite struct ConnectionDeadlineTests {
    static let timeouts = ConnectionTimeouts(head: .seconds(10), body: .seconds(30), idle: .seconds(75))

    static func connected() throws -> EmbeddedChannel {
        let channel = EmbeddedChannel(handler: ConnectionDeadlineHandler(timeouts: timeouts))
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        return channel
    }

    static func head(_ channel: EmbeddedChannel) throws {
        try channel.writeInbound(HTTPRequestPart.head(HTTPRequest(method: .post, scheme: nil, authority: "x", path: "/v1/calls")))
    }

    static func answer(_ channel: EmbeddedChannel) throws {
        try channel.writeOutbound(HTTPResponsePart.head(HTTPResponse(status: .ok)))
        try channel.writeOutbound(HTTPResponsePart.end(nil))
    }

    static func advance(_ channel: EmbeddedChannel, _ milliseconds: Int64) {
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(milliseconds))
    }

    @Test func aConnectionThatSendsNothingClosesAtTheHeadDeadline() throws {
        let channel = try Self.connected()
        Self.advance(channel, 9_999)
        #expect(channel.isActive)
        Self.advance(channel, 1)
        #expect(!channel.isActive)
    }

    @Test func aSlowBodyClosesThirtySecondsAfterItsHeadThoughTheCheckRanEarlier() throws {
        let channel = try Self.connected()
        Self.advance(channel, 5_000)
        try Self.head(channel)
        // The first check, at 10 s, finds the body's deadline still ahead.
        Self.advance(channel, 29_999)
        #expect(channel.isActive)
        try channel.writeInbound(HTTPRequestPart.body(ByteBuffer(string: "{")))
        Self.advance(channel, 1)
        #expect(!channel.isActive)
    }

    @Test func noDeadlineRunsWhileTheServerAnswersThenTheIdleOneDoes() throws {
        let channel = try Self.connected()
        try Self.head(channel)
        try channel.writeInbound(HTTPRequestPart.end(nil))
        Self.advance(channel, 200_000)
        #expect(channel.isActive)
        try Self.answer(channel)
        Self.advance(channel, 74_999)
        #expect(channel.isActive)
        Self.advance(channel, 1)
        #expect(!channel.isActive)
    }

    @Test func aKeptAliveConnectionStaysWhileRequestsComeAndItsLastIdleDeadlineCounts() throws {
        let channel = try Self.connected()
        for _ in 0..<50 {
            Self.advance(channel, 7_000)
            try Self.head(channel)
            try channel.writeInbound(HTTPRequestPart.end(nil))
            try Self.answer(channel)
        }
        #expect(channel.isActive)
        // A request that begins just before the idle deadline gets its body's whole 30 s.
        Self.advance(channel, 74_000)
        try Self.head(channel)
        Self.advance(channel, 29_999)
        #expect(channel.isActive)
        Self.advance(channel, 1)
        #expect(!channel.isActive)
    }

    /// The idle deadline is far; the body's, begun a second later, is sooner and still holds.
    @Test func aSlowBodyRightAfterAnAnswerClosesOnItsOwnDeadlineNotTheIdleOne() throws {
        let channel = try Self.connected()
        try Self.head(channel)
        try channel.writeInbound(HTTPRequestPart.end(nil))
        Self.advance(channel, 15_000)
        try Self.answer(channel)
        Self.advance(channel, 1_000)
        try Self.head(channel)
        Self.advance(channel, 29_999)
        #expect(channel.isActive)
        Self.advance(channel, 1)
        #expect(!channel.isActive)
    }

    @Test func aPipelinedRequestKeepsTheConnectionAnsweringUntilTheLastAnswer() throws {
        let channel = try Self.connected()
        try Self.head(channel)
        try channel.writeInbound(HTTPRequestPart.end(nil))
        try Self.head(channel)
        try channel.writeInbound(HTTPRequestPart.end(nil))
        try Self.answer(channel)
        // One request still unanswered: no idle deadline yet.
        Self.advance(channel, 100_000)
        #expect(channel.isActive)
        try Self.answer(channel)
        Self.advance(channel, 75_000)
        #expect(!channel.isActive)
    }
}
