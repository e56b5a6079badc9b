import Foundation

/// What Linux's /proc says of processes: who a process started, whether one still runs, which
/// ports one listens on, what CPU and memory one used. The bench finds its children's ports and
/// costs here, and the tests what a bench left behind.
public enum ProcessTable {
    /// A process as /proc shows it: its pid, its arguments after the executable, and when it
    /// started. The start time tells it from a later process given the same pid once it ended: pids
    /// wrap within minutes on a busy machine (`pid_max` is 32,768 here).
    public struct Entry: Hashable, Sendable {
        public var pid: pid_t
        public var command: String
        /// Clock ticks after boot at which the process started.
        public var started: UInt64
    }

    /// The live processes whose parent is `parent`.
    public static func children(of parent: pid_t) -> [Entry] {
        pids().compactMap { pid -> Entry? in
            guard let fields = stat(of: pid)?.fields, fields.count > startField, fields[0] != "Z", pid_t(fields[1]) == parent,
                let started = UInt64(fields[startField]), let cmdline = try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/cmdline"))
            else { return nil }
            let arguments = cmdline.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
            return Entry(pid: pid, command: arguments.dropFirst().joined(separator: " "), started: started)
        }
    }

    /// Whether the process `entry` names still runs: its pid is live and started when it did.
    public static func isAlive(_ entry: Entry) -> Bool {
        guard let fields = stat(of: entry.pid)?.fields, fields.count > startField else { return false }
        return fields[0] != "Z" && UInt64(fields[startField]) == entry.started
    }

    /// Sends `signal` to the process `entry` names if it still runs, and never to a later process
    /// that was given its pid.
    public static func send(_ signal: Int32, to entry: Entry) {
        if isAlive(entry) { kill(entry.pid, signal) }
    }

    /// The start time (`starttime`, the 22nd field of /proc/PID/stat) among the fields after the name.
    private static let startField = 19

    /// The live processes whose command name (as /proc/PID/stat gives it) is `name`.
    public static func processes(named name: String) -> [pid_t] {
        pids().filter { stat(of: $0)?.name == name[...] }
    }

    /// CPU time (user and system) process `pid` has used so far, in seconds; with
    /// `exitedChildren`, also what its children that ended and were reaped used. Zero where /proc
    /// has no such process.
    public static func cpuSeconds(of pid: pid_t, exitedChildren: Bool = false) -> Double {
        // utime, stime, cutime and cstime are the 12th to 15th fields after the name.
        let last = exitedChildren ? 14 : 12
        guard let fields = stat(of: pid)?.fields, fields.count > last else { return 0 }
        return (11...last).compactMap { Double(fields[$0]) }.reduce(0, +) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// The most resident memory process `pid` has held (VmHWM), in KiB; zero where /proc has no
    /// such process.
    public static func peakResidentKiB(of pid: pid_t) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") })
        else { return 0 }
        return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
    }

    /// Every process /proc lists now.
    private static func pids() -> [pid_t] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap { pid_t($0) }
    }

    /// /proc/PID/stat split at the command's name (which may hold spaces and parentheses): the
    /// name, then the fields after it (the state, the parent's pid, …).
    private static func stat(of pid: pid_t) -> (name: Substring, fields: [Substring])? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let start = stat.firstIndex(of: "("),
            let end = stat.lastIndex(of: ")"), start < end
        else { return nil }
        return (stat[stat.index(after: start)..<end], stat[stat.index(after: end)...].split(separator: " "))
    }

    /// The TCP ports process `pid` listens on now: its sockets' inodes in the network table.
    public static func listeningPorts(of pid: pid_t) -> [Int] {
        let fdDirectory = "/proc/\(pid)/fd"
        let inodes = Set(((try? FileManager.default.contentsOfDirectory(atPath: fdDirectory)) ?? []).compactMap { fd -> String? in
            guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "\(fdDirectory)/\(fd)"), target.hasPrefix("socket:[")
            else { return nil }
            return String(target.dropFirst(8).dropLast())
        })
        guard let table = try? String(contentsOfFile: "/proc/\(pid)/net/tcp", encoding: .utf8) else { return [] }
        return table.split(separator: "\n").dropFirst().compactMap { line in
            let fields = line.split(separator: " ")
            // State 0A is LISTEN; field 9 is the inode.
            guard fields.count > 9, fields[3] == "0A", inodes.contains(String(fields[9])) else { return nil }
            return Int(fields[1].split(separator: ":").last ?? "", radix: 16)
        }
    }
}
