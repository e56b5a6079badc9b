import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A child process started with `posix_spawn`, its standard output and error gathered as text and
/// its standard input open for writing; with `endsWithParent` it ends when this process does
/// (`ParentLifeline`). Foundation's `Process.run()` on this toolchain reads past a
/// `readdir` buffer while closing the descriptors a child would inherit
/// (swift-corelibs-foundation#5472) and crashed the suite and the bench; here `posix_spawn` closes them itself.
public final class ChildProcess: Sendable {
    public enum TerminationReason: Equatable { case exit, uncaughtSignal }

    public struct SpawnError: Error, CustomStringConvertible {
        public let description: String
    }

    public let processIdentifier: pid_t
    /// Its standard input's writing end, until closed.
    private let input: Mutex<Int32?>
    /// What it writes, gathered by a thread of its own until the end of its output, and how it
    /// ended, which that thread also waits for.
    private final class Gathered: Sendable {
        let text = Mutex("")
        let ended = Mutex(false)
        /// The raw wait status, once the child has been reaped.
        let status = Mutex<Int32?>(nil)

        /// Reaps the child if it ended and was not reaped yet; whether it is still running.
        @discardableResult
        func reap(_ pid: pid_t) -> Bool {
            status.withLock { status in
                guard status == nil else { return false }
                var raw: Int32 = 0
                if waitpid(pid, &raw, WNOHANG) == pid { status = raw }
                return status == nil
            }
        }
    }

    private let gathered = Gathered()

    public init(executable: String, arguments: [String], environment: [String: String], endsWithParent: Bool = false) throws {
        var toChild: [Int32] = [0, 0]
        var fromChild: [Int32] = [0, 0]
        guard pipe(&toChild) == 0, pipe(&fromChild) == 0 else { throw SpawnError(description: "pipe: \(errno)") }
        // Descriptors of ours past standard error stay out of every child, wherever it is started.
        for descriptor in toChild + fromChild { _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, toChild[0], 0)
        posix_spawn_file_actions_adddup2(&actions, fromChild[1], 1)
        posix_spawn_file_actions_adddup2(&actions, fromChild[1], 2)
        // Nothing else of the parent's (its servers' sockets, other children's pipes).
        if let closeFrom = Self.closeFrom { _ = closeFrom(&actions, 3) }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = ParentLifeline.environment(environment, endsWithParent: endsWithParent).map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for pointer in argv + envp { free(pointer) } }
        // Every signal at its default and none blocked, whatever this process and the spawning
        // thread set for themselves: both last across exec. A thread of the concurrency pool
        // blocks most signals, SIGTERM among them; NIO ignores SIGPIPE, and a service group
        // SIGTERM and SIGINT, to take them from a dispatch source.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var every = sigset_t()
        sigfillset(&every)
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigdefault(&attributes, &every)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        close(toChild[0])
        close(fromChild[1])
        guard spawned == 0 else {
            close(toChild[1])
            close(fromChild[0])
            throw SpawnError(description: "posix_spawn \(executable): \(String(cString: strerror(spawned)))")
        }
        processIdentifier = pid
        input = Mutex(toChild[1])
        let reading = fromChild[0]
        Thread.detachNewThread { [gathered, pid] in
            var buffer = [UInt8](repeating: 0, count: 65_536)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(reading, $0.baseAddress, $0.count) }
                if count < 0, errno == EINTR { continue }
                guard count > 0 else { break }
                let text = String(decoding: buffer[0..<count], as: UTF8.self)
                gathered.text.withLock { $0 += text }
            }
            close(reading)
            gathered.ended.withLock { $0 = true }
            // Reaped here too, so that a child nobody asks about once it ends is not left a zombie.
            // The wait leaves it unreaped and the reaping is under the lock, as in `isRunning`:
            // reaped outside it, its pid could be reused before its status was stored.
            var info = siginfo_t()
            while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) < 0, errno == EINTR {}
            gathered.reap(pid)
        }
    }

    deinit { closeInput() }

    /// `posix_spawn_file_actions_addclosefrom_np` (glibc 2.34), which Swift's Glibc module does not export.
    private typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    private static let closeFrom: CloseFrom? = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np").map { unsafeBitCast($0, to: CloseFrom.self) }

    /// What it wrote to standard output and error so far.
    public var text: String { gathered.text.withLock { $0 } }

    /// Whether its output was read to the end (it, and any child holding its output, ended).
    public var outputEnded: Bool { gathered.ended.withLock { $0 } }

    public var isRunning: Bool { gathered.reap(processIdentifier) }

    public func terminate() { kill(processIdentifier, SIGTERM) }

    /// Polls rather than blocks: a blocked thread of the concurrency pool (two threads on two
    /// cores) would stall every other task while the child runs.
    public func waitUntilExit() async {
        while isRunning { try? await Task.sleep(for: .milliseconds(10)) }
    }

    /// Its exit code, or the signal that ended it.
    public var terminationStatus: Int32 {
        let raw = gathered.status.withLock { $0 } ?? 0
        return raw & 0x7F == 0 ? (raw >> 8) & 0xFF : raw & 0x7F
    }

    public var terminationReason: TerminationReason { (gathered.status.withLock { $0 } ?? 0) & 0x7F == 0 ? .exit : .uncaughtSignal }

    public func write(_ text: String) {
        input.withLock { input in
            guard let input else { return }
            var bytes = Array(text.utf8)[...]
            while !bytes.isEmpty {
                let written = bytes.withUnsafeBytes { Glibc.write(input, $0.baseAddress, $0.count) }
                guard written > 0 else { return }
                bytes = bytes.dropFirst(written)
            }
        }
    }

    /// Closes its standard input: it reads the end of it.
    public func closeInput() {
        input.withLock { input in
            if let descriptor = input { close(descriptor) }
            input = nil
        }
    }

    /// Waits for it to end and its output to be read to the end.
    public func finish() async -> (status: Int32, output: String) {
        await waitUntilExit()
        while !outputEnded { try? await Task.sleep(for: .milliseconds(10)) }
        return (terminationStatus, text)
    }
}
