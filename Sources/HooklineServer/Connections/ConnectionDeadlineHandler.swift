import HooklineCore
import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Closes a connection whose client is too slow to send a request, or idle too long between
/// requests. Hummingbird's own idle timeout restarts at every body part, so it cannot bound a body
/// sent a byte at a time; this handler gives each phase one deadline from its start. While a
/// request is being answered no deadline runs: the answer is the server's to bound.
///
/// A phase only notes its deadline; one timer per connection checks it. Scheduling and cancelling
/// an event-loop task at each phase cost about 2 % of the server's CPU per event in a burst. The
/// timer never waits longer than the shortest timeout, and a phase's deadline is never sooner than
/// that from its start, so no deadline passes unseen.
final class ConnectionDeadlineHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let timeouts: ConnectionTimeouts
    /// The longest the timer waits between checks: the shortest of the timeouts.
    private let longestWait: TimeAmount
    /// When the current phase must be over; nil while a request is being answered.
    private var phaseDeadline: NIODeadline?
    private var timer: Scheduled<Void>?
    private var readingRequest = false
    private var unansweredRequests = 0

    init(timeouts: ConnectionTimeouts) {
        self.timeouts = timeouts
        self.longestWait = Self.amount(min(timeouts.head, timeouts.body, timeouts.idle))
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { begin(timeouts.head, context: context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        if phaseDeadline == nil { begin(timeouts.head, context: context) }
        context.fireChannelActive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        stop()
    }

    func channelInactive(context: ChannelHandlerContext) {
        stop()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            readingRequest = true
            unansweredRequests += 1
            begin(timeouts.body, context: context)
        case .body:
            break
        case .end:
            readingRequest = false
            phaseDeadline = nil
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) {
            unansweredRequests = max(0, unansweredRequests - 1)
            if unansweredRequests == 0, !readingRequest { begin(timeouts.idle, context: context) }
        }
        context.write(data, promise: promise)
    }

    private func begin(_ timeout: Duration, context: ChannelHandlerContext) {
        let now = context.eventLoop.now
        let deadline = now + Self.amount(timeout)
        phaseDeadline = deadline
        if timer == nil { check(at: min(deadline, now + longestWait), context: context) }
    }

    private func check(at time: NIODeadline, context: ChannelHandlerContext) {
        timer = context.eventLoop.assumeIsolated().scheduleTask(deadline: time) { [self, context] in
            timer = nil
            // Answering: the answer's end begins the next phase and its check.
            guard let deadline = phaseDeadline else { return }
            let now = context.eventLoop.now
            if deadline <= now {
                context.close(promise: nil)
            } else {
                check(at: min(deadline, now + longestWait), context: context)
            }
        }
    }

    private func stop() {
        phaseDeadline = nil
        timer?.cancel()
        timer = nil
    }

    private static func amount(_ duration: Duration) -> TimeAmount {
        .nanoseconds(duration.wholeNanoseconds)
    }
}

@available(*, unavailable)
extension ConnectionDeadlineHandler: Sendable {}
