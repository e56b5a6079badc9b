import Foundation
import HooklineProcesses
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// What the bench reads of its children and of PostgreSQL's processes: CPU used, with and without
/// reaped children, peak memory, processes by name. Read of real processes: this one and a shell
/// it starts.
@Suite struct ProcessTableTests {
    /// Runs a shell that spends CPU counting, and waits for it (so it is reaped).
    static func runCountingShell() async throws -> pid_t {
        let shell = try ChildProcess(executable: "/bin/sh", arguments: ["-c", "i=0; while [ $i -lt 300000 ]; do i=$((i+1)); done"], environment: [:])
        await shell.waitUntilExit()
        return shell.processIdentifier
    }

    @Test func cpuOfThisProcessGrowsWithWorkAndCountsReapedChildrenOnlyWhenAsked() async throws {
        let me = getpid()
        let before = ProcessTable.cpuSeconds(of: me)
        var sum: UInt64 = 0
        let start = ContinuousClock.now
        while ContinuousClock.now - start < .milliseconds(200) { sum &+= UInt64.random(in: 0...9) }
        #expect(sum > 0)
        #expect(ProcessTable.cpuSeconds(of: me) > before)

        let withChildrenBefore = ProcessTable.cpuSeconds(of: me, exitedChildren: true)
        let ownBefore = ProcessTable.cpuSeconds(of: me)
        let shell = try await Self.runCountingShell()
        let childrenShare = (ProcessTable.cpuSeconds(of: me, exitedChildren: true) - withChildrenBefore) - (ProcessTable.cpuSeconds(of: me) - ownBefore)
        #expect(childrenShare > 0, "the shell \(shell) counted nothing")
        #expect(ProcessTable.cpuSeconds(of: me, exitedChildren: true) >= ProcessTable.cpuSeconds(of: me))
    }

    @Test func peakMemoryOfThisProcessIsAtLeastWhatItTouched() {
        let me = getpid()
        let megabytes = 64
        let bytes = [UInt8](repeating: 1, count: megabytes << 20)
        #expect(bytes.count == megabytes << 20)
        #expect(ProcessTable.peakResidentKiB(of: me) >= megabytes * 1024)
    }

    @Test func thisProcessIsFoundByItsNameAndAProcessGoneReadsAsNothing() async throws {
        let me = getpid()
        let name = try String(contentsOfFile: "/proc/self/comm", encoding: .utf8).trimmingCharacters(in: .newlines)
        #expect(ProcessTable.processes(named: name).contains(me))
        #expect(!ProcessTable.processes(named: name + "-no-such").contains(me))

        let gone = try await Self.runCountingShell()
        #expect(!ProcessTable.children(of: me).contains { $0.pid == gone })
        #expect(ProcessTable.cpuSeconds(of: gone) == 0)
        #expect(ProcessTable.peakResidentKiB(of: gone) == 0)
    }

    /// A pid given to a later process is not the process that had it: a record with another start
    /// time reads as gone, and a signal sent through it reaches nothing.
    @Test func aProcessIsKnownByItsPidAndItsStartTime() async throws {
        let sleeper = try ChildProcess(executable: "/bin/sleep", arguments: ["300"], environment: [:])
        defer { if sleeper.isRunning { kill(sleeper.processIdentifier, SIGKILL) } }
        let entry = try #require(ProcessTable.children(of: getpid()).first { $0.pid == sleeper.processIdentifier })
        #expect(entry.command == "300")
        #expect(ProcessTable.isAlive(entry))

        var later = entry
        later.started += 1
        #expect(!ProcessTable.isAlive(later))
        ProcessTable.send(SIGKILL, to: later)
        try await Task.sleep(for: .milliseconds(200))
        #expect(sleeper.isRunning)

        ProcessTable.send(SIGKILL, to: entry)
        await sleeper.waitUntilExit()
        #expect(sleeper.terminationReason == .uncaughtSignal && sleeper.terminationStatus == SIGKILL)
        #expect(!ProcessTable.isAlive(entry))
    }
}
