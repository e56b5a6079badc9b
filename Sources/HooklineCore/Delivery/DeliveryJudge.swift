import Foundation

/// Decides what an attempt means for its delivery and its webhook.
public enum DeliveryJudge {
    public enum Verdict: Sendable, Equatable {
        case delivered
        case retry(at: Timestamp)
        case dead
        /// The receiver answered 410 Gone: the webhook is disabled and the delivery waits, pending,
        /// until someone re-enables it.
        case disableWebhook
    }

    /// Whether an answer counts as accepted by the receiver.
    public static func accepts(status: Int, successCodes: [Int]) -> Bool {
        successCodes.contains(status)
    }

    /// `retryAfter` is the receiver's `Retry-After` in seconds, honoured (up to the schedule's
    /// longest delay) on 429 and 503. `unit` (the jitter, in 0..<1) is drawn only for a failure:
    /// most attempts succeed, and a random draw is a system call.
    public static func verdict(
        for attempt: Attempt, attemptsSoFar: Int, scheduleStart: Timestamp, policy: RetryPolicy, now: Timestamp, unit: @autoclosure () -> Double,
        retryAfter: Double? = nil
    ) -> Verdict {
        if attempt.succeeded { return .delivered }
        let status = attempt.response?.status
        if status == 410 { return .disableWebhook }
        switch policy.decide(afterFailedAttempts: attemptsSoFar, start: scheduleStart, now: now, unit: unit()) {
        case .giveUp:
            return .dead
        case .retry(let at):
            if let retryAfter, status == 429 || status == 503 {
                let capped = min(max(0, retryAfter), policy.schedule.max() ?? retryAfter)
                return .retry(at: now.adding(seconds: capped))
            }
            return .retry(at: at)
        }
    }

    /// How long the whole webhook pauses after this attempt: a 429 or 503 with `Retry-After` asks
    /// the sender to slow down, so nothing of the webhook's goes before it (capped as the
    /// delivery's own retry is, by the schedule's longest delay). Nil for any other answer.
    public static func webhookPause(for attempt: Attempt, policy: RetryPolicy, now: Timestamp, retryAfter: Double?) -> Timestamp? {
        guard let retryAfter, retryAfter > 0, let status = attempt.response?.status, status == 429 || status == 503 else { return nil }
        return now.adding(seconds: min(retryAfter, policy.schedule.max() ?? retryAfter))
    }

    /// `Retry-After` as seconds: a number of seconds, or an HTTP date relative to `now`.
    public static func retryAfterSeconds(_ value: String, now: Timestamp) -> Double? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        if let seconds = Double(trimmed), seconds >= 0 { return seconds }
        guard let date = HTTPDate.parse(trimmed) else { return nil }
        return max(0, date.secondsSince1970 - now.secondsSince1970)
    }
}
