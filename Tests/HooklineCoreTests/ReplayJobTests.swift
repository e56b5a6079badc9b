import HooklineCore
import Testing

/// A bulk replay's progress: each batch moves its position and count, a short batch finishes it,
/// a cancel stops only a running one, and a delivery behind an earlier one of its call waits.
@Suite struct ReplayJobTests {
    typealias Q = QueueRulesTests

    @Test func batchesMoveTheJobOnAndAShortOneFinishesIt() {
        let job = ReplayJob(id: "rpl_1", accountID: "a", filter: ReplayFilter(), total: 5, createdAt: Q.t0, updatedAt: Q.t0)
        let first = job.advanced(replaying: ["d1", "d2"], asked: 2, now: Q.t0.adding(seconds: 1))
        #expect(first.status == .running && first.replayed == 2 && first.cursor == "d2" && first.updatedAt == Q.t0.adding(seconds: 1))
        let last = first.advanced(replaying: ["d3"], asked: 2, now: Q.t0.adding(seconds: 2))
        #expect(last.status == .done && last.replayed == 3 && last.cursor == "d3")
        let empty = first.advanced(replaying: [], asked: 2, now: Q.t0.adding(seconds: 2))
        #expect(empty.status == .done && empty.cursor == "d2")
        #expect(first.cancelled(now: Q.t0.adding(seconds: 3)).status == .cancelled)
        #expect(last.cancelled(now: Q.t0.adding(seconds: 3)) == last, "a finished job stays as it ended")
    }

    @Test func aReplayedDeliveryBehindAnEarlierOneOfItsCallWaits() {
        let replay = Replay(now: Q.t0)
        #expect(replay.nextAttemptAt(waitsBehindEarlier: false) == Q.t0)
        #expect(replay.nextAttemptAt(waitsBehindEarlier: true) == nil)
        #expect(ReplayFilter().outcomes == [.dead], "dead deliveries unless told otherwise")
    }
}
