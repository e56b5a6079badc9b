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

    /// A whole request, head and end, read.
    static func request(_ channel: EmbeddedChannel) throws {
        try head(channel)
        try channel.writeInbound(HTTPRequestPart.end(nil))
    }

    static func answer(_ channel: EmbeddedChannel) throws {
        try channel.writeOutbound(HTTPResponsePart.head(HTTPResponse(status: .ok)))
        try channel.writeOutbound(HTTPResponsePart.end(nil))
    }

    static func advance(_ channel: EmbeddedChannel, _ milliseconds: Int64) {
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(milliseconds))
    }

    /// Open a millisecond before `milliseconds` from now, closed at it.
    static func expectClosed(_ channel: EmbeddedChannel, after milliseconds: Int64, sourceLocation: SourceLocation = #_sourceLocation) {
        advance(channel, milliseconds - 1)
        #expect(channel.isActive, "closed before its deadline", sourceLocation: sourceLocation)
        advance(channel, 1)
        #expect(!channel.isActive, "open past its deadline", sourceLocation: sourceLocation)
    }

    @Test func aConnectionThatSendsNothingClosesAtTheHeadDeadline() throws {
        Self.expectClosed(try Self.connected(), after: 10_000)
    }

    @Test func aSlowBodyClosesThirtySecondsAfterItsHeadThoughTheCheckRanEarlier() throws {
        let channel = try Self.connected()
        Self.advance(channel, 5_000)
        try Self.head(channel)
        // The first check, at 10 s, finds the body's deadline still ahead; a byte of body does
        // not move it.
        Self.advance(channel, 20_000)
        try channel.writeInbound(HTTPRequestPart.body(ByteBuffer(string: "{")))
        Self.expectClosed(channel, after: 10_000)
    }

    @Test func noDeadlineRunsWhileTheServerAnswersThenTheIdleOneDoes() throws {
        let channel = try Self.connected()
        try Self.request(channel)
        Self.advance(channel, 200_000)
        #expect(channel.isActive)
        try Self.answer(channel)
        Self.expectClosed(channel, after: 75_000)
    }

    @Test func aKeptAliveConnectionStaysWhileRequestsComeAndItsLastIdleDeadlineCounts() throws {
        let channel = try Self.connected()
        for _ in 0..<50 {
            Self.advance(channel, 7_000)
            try Self.request(channel)
            try Self.answer(channel)
        }
        #expect(channel.isActive)
        // A request that begins just before the idle deadline gets its body's whole 30 s.
        Self.advance(channel, 74_000)
        try Self.head(channel)
        Self.expectClosed(channel, after: 30_000)
    }

    /// The idle deadline is far; the body's, begun a second later, is sooner and still holds.
    @Test func aSlowBodyRightAfterAnAnswerClosesOnItsOwnDeadlineNotTheIdleOne() throws {
        let channel = try Self.connected()
        try Self.request(channel)
        Self.advance(channel, 15_000)
        try Self.answer(channel)
        Self.advance(channel, 1_000)
        try Self.head(channel)
        Self.expectClosed(channel, after: 30_000)
    }

    @Test func aPipelinedRequestKeepsTheConnectionAnsweringUntilTheLastAnswer() throws {
        let channel = try Self.connected()
        try Self.request(channel)
        try Self.request(channel)
        try Self.answer(channel)
        // One request still unanswered: no idle deadline yet.
        Self.advance(channel, 100_000)
        #expect(channel.isActive)
        try Self.answer(channel)
        Self.expectClosed(channel, after: 75_000)
    }
}
