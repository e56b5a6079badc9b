import Foundation

/// Wall-clock time in nanoseconds since 1970: the load generator stamps events with it and the
/// receiver, on the same machine, measures latency against it.
func wallNanos() -> Int64 {
    var spec = timespec()
    clock_gettime(CLOCK_REALTIME, &spec)
    return Int64(spec.tv_sec) * 1_000_000_000 + Int64(spec.tv_nsec)
}

/// CPU time (user and system) a process has used so far, in seconds, from /proc: `"self"` or a
/// process id. Zero where /proc has no such process.
func cpuSeconds(ofProcess process: String) -> Double {
    guard let stat = try? String(contentsOfFile: "/proc/\(process)/stat", encoding: .utf8), let end = stat.lastIndex(of: ")") else { return 0 }
    // After the command name in parentheses: state is the first field, utime the 12th, stime the 13th.
    let fields = stat[stat.index(after: end)...].split(separator: " ")
    guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
    return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
}
