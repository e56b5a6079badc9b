/// Which call a conversion belongs to when the source knows the caller's number, not the call's
/// id: the most recent call of that number that began in the window, as Invoca matches.
public struct ConversionMatch: Sendable, Hashable {
    /// The caller's digits, as calls keep them (`IngestRules.caller`).
    public let caller: String
    public let from: Timestamp
    public let to: Timestamp

    /// The longest window a conversion may search, so a lookup reads a bounded number of calls.
    public static let longestWindowDays = 90

    public init(caller: String, from: Timestamp, to: Timestamp) {
        self.caller = caller
        self.from = from
        self.to = to
    }

    /// A candidate: a call of the number that began in the window.
    public struct Candidate: Sendable, Hashable {
        public let callID: String
        public let startedAt: Timestamp

        public init(callID: String, startedAt: Timestamp) {
            self.callID = callID
            self.startedAt = startedAt
        }
    }

    public enum Outcome: Sendable, Hashable {
        case call(String)
        case none
        /// Two or more calls began at the latest time: which one converted cannot be told.
        case ambiguous([String])
    }

    /// How many candidates a store reads: the latest two tell a match from a tie.
    public static let candidatesRead = 2

    /// The match among the window's calls, newest first as the store reads them.
    public static func pick(_ candidates: [Candidate]) -> Outcome {
        guard let latest = candidates.max(by: { $0.startedAt < $1.startedAt }) else { return .none }
        let tied = candidates.filter { $0.startedAt == latest.startedAt }
        return tied.count == 1 ? .call(latest.callID) : .ambiguous(tied.map(\.callID).sorted())
    }
}
