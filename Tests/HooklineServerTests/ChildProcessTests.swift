import Foundation
import HooklineProcesses
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// How the suite, the bench and the demo start their children: output gathered, status kept, and
/// nothing left behind.
@Suite struct ChildProcessTests {
    /// A child that ends while nobody asks about it is reaped all the same: no zombie stays in the
    /// process table of a parent that starts many.
    @Test func aChildNobodyWaitsForIsReapedAndItsStatusKept() async throws {
        let child = try ChildProcess(executable: "/bin/sh", arguments: ["-c", "echo gone; exit 3"], environment: [:])
        let pid = child.processIdentifier
        // `kill(pid, 0)` succeeds for a zombie; only a reaped child is gone from the table.
        try await eventually("the child is reaped") { kill(pid, 0) != 0 && errno == ESRCH }
        #expect(!child.isRunning)
        #expect(child.terminationReason == .exit)
        #expect(child.terminationStatus == 3)
        let (status, output) = await child.finish()
        #expect(status == 3 && output == "gone\n")
    }

    /// A child ignores and blocks no signal, whatever this process does: NIO ignores SIGPIPE here,
    /// a service group SIGTERM and SIGINT, and what a process ignores its children would inherit.
    @Test func aChildStartsWithNoSignalIgnoredOrBlocked() async throws {
        // As NIO does in every process that opens a socket, this one included.
        signal(SIGPIPE, SIG_IGN)
        let child = try ChildProcess(
            executable: "/bin/sh", arguments: ["-c", "exec grep -E '^Sig(Ign|Blk)' /proc/self/status"], environment: [:])
        let (status, output) = await child.finish()
        #expect(status == 0)
        // Signals 1 to 31; those above are the C library's own, which no program sets.
        let masks = output.split(separator: "\n").compactMap { line in UInt64(line.split(separator: "\t").last ?? "", radix: 16) }
        #expect(masks.count == 2 && masks.allSatisfy { $0 & 0x7FFF_FFFF == 0 }, "\(output)")
    }

    /// A child killed by a signal says so, whether it was reaped by the poll or by its reader.
    @Test func aChildEndedBySignalSaysWhich() async throws {
        let child = try ChildProcess(executable: "/bin/sleep", arguments: ["600"], environment: [:])
        #expect(child.isRunning)
        child.terminate()
        await child.waitUntilExit()
        #expect(child.terminationReason == .uncaughtSignal)
        #expect(child.terminationStatus == SIGTERM)
    }
}
