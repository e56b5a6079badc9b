/// Decides what an attempt means for its delivery: delivered, tried again later, or dead.
public enum DeliveryJudge {
    public enum Verdict: Sendable, Equatable {
        case delivered
        case retry(at: Timestamp)
        case dead
    }

    /// Whether an answer counts as accepted by the receiver.
    public static func accepts(status: Int, successCodes: [Int]) -> Bool {
        successCodes.contains(status)
    }

    public static func verdict(
        for attempt: Attempt, attemptsSoFar: Int, scheduleStart: Timestamp, policy: RetryPolicy, now: Timestamp, unit: Double
    ) -> Verdict {
        if attempt.succeeded { return .delivered }
        switch policy.decide(afterFailedAttempts: attemptsSoFar, start: scheduleStart, now: now, unit: unit) {
        case .retry(let at): return .retry(at: at)
        case .giveUp: return .dead
        }
    }
}
