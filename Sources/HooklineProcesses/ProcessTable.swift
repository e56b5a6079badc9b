import Foundation

/// What Linux's /proc says of other processes: who a process started, whether one still runs,
/// which ports one listens on. The bench finds its children's ports here, and the tests what a
/// bench left behind.
public enum ProcessTable {
    /// A process as /proc shows it: its pid and its arguments after the executable.
    public struct Entry: Hashable, Sendable {
        public var pid: pid_t
        public var command: String
    }

    /// The live processes whose parent is `parent`.
    public static func children(of parent: pid_t) -> [Entry] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry -> Entry? in
            guard let pid = pid_t(entry), let fields = statFields(of: pid), fields.count > 1, fields[0] != "Z", pid_t(fields[1]) == parent,
                let cmdline = try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/cmdline"))
            else { return nil }
            let arguments = cmdline.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
            return Entry(pid: pid, command: arguments.dropFirst().joined(separator: " "))
        }
    }

    /// Whether `pid` is a live process (not a zombie waiting to be reaped).
    public static func isAlive(_ pid: pid_t) -> Bool {
        guard let state = statFields(of: pid)?.first else { return false }
        return state != "Z"
    }

    /// /proc/PID/stat after the command's name (which may hold spaces): the state, the parent's pid, …
    private static func statFields(of pid: pid_t) -> [Substring]? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let end = stat.lastIndex(of: ")") else { return nil }
        return stat[stat.index(after: end)...].split(separator: " ")
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
