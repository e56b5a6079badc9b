/// How long a client may take over each part of a connection before it is closed, so that slow or
/// idle clients cannot hold connections (and file descriptors) that others need.
public struct ConnectionTimeouts: Sendable, Equatable {
    /// From accepting a connection to the end of its first request's head.
    public var head: Duration
    /// From a request's head to the end of its body.
    public var body: Duration
    /// From the end of an answer to the end of the next request's head, on a kept-alive connection.
    /// Longer than the 60 s clients (AsyncHTTPClient, browsers) keep idle connections, so a client
    /// does not send on one the server is closing.
    public var idle: Duration

    public init(head: Duration = .seconds(10), body: Duration = .seconds(30), idle: Duration = .seconds(75)) {
        self.head = head
        self.body = body
        self.idle = idle
    }
}
