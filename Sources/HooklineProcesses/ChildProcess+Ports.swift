import Foundation

extension ChildProcess {
    /// The TCP ports process `pid` listens on now, from /proc: its sockets' inodes in the network table.
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
