/// A webhook's pace: at most `requests` every `seconds`, as a token bucket that holds up to
/// `requests` tokens and refills evenly over `seconds`, so a quiet webhook may send a burst of
/// `requests` at once and then one every `seconds / requests`. Held in the store's `webhooks` row
/// and spent by the lease that takes deliveries, so every worker process shares it.
public struct RateLimit: Sendable, Hashable, Codable {
    public var requests: Int
    public var seconds: Double

    public static let mostRequests = 100_000
    public static let longestSeconds: Double = 86_400

    public init(requests: Int, seconds: Double) {
        self.requests = requests
        self.seconds = seconds
    }

    /// Tokens in the bucket at `now`.
    func tokens(in bucket: RateBucket, now: Timestamp) -> Double {
        guard let refilledAt = bucket.refilledAt else { return Double(requests) }
        let refill = max(0, now.seconds(since: refilledAt)) * Double(requests) / seconds
        return min(Double(requests), bucket.tokens + refill)
    }

    /// How many requests may leave at `now`.
    public func allowance(_ bucket: RateBucket, now: Timestamp) -> Int {
        Int(tokens(in: bucket, now: now).rounded(.down))
    }

    /// The bucket after `count` requests left at `now` (never more than `allowance` of them),
    /// with the time its next whole token comes when it is empty.
    public func spending(_ count: Int, from bucket: RateBucket, now: Timestamp) -> RateBucket {
        let left = max(0, tokens(in: bucket, now: now) - Double(count))
        let emptyUntil = left >= 1 ? nil : now.adding(seconds: (1 - left) * seconds / Double(requests))
        return RateBucket(tokens: left, refilledAt: now, emptyUntil: emptyUntil)
    }
}

/// What is left of a webhook's rate limit, as its row stores it.
public struct RateBucket: Sendable, Hashable {
    /// Tokens as of `refilledAt`.
    public var tokens: Double
    /// Nil when no request has spent a token: the bucket is full.
    public var refilledAt: Timestamp?
    /// When the emptied bucket has a whole token again: the webhook is due no earlier.
    public var emptyUntil: Timestamp?

    public init(tokens: Double, refilledAt: Timestamp?, emptyUntil: Timestamp?) {
        self.tokens = tokens
        self.refilledAt = refilledAt
        self.emptyUntil = emptyUntil
    }

    public static let full = RateBucket(tokens: 0, refilledAt: nil, emptyUntil: nil)

    /// The time the webhook waits for under its limit at `now`; nil when it may send.
    public func wait(at now: Timestamp) -> Timestamp? {
        emptyUntil.flatMap { $0 > now ? $0 : nil }
    }
}
