#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Every delivery request in flight holds a connection, so a worker needs about `concurrency` open
/// files beside the API's connections and the database's. Shells and service managers often start
/// a process with a soft limit of 1,024 and a much higher hard one; as Go's runtime and nginx do,
/// Hookline raises the soft limit to the hard one instead of failing connections with EMFILE.
enum OpenFileLimit {
    /// The API's connections, the database's files, the log.
    static let headroom = 256
    /// Linux refuses limits above `fs.nr_open`, whose default this is.
    static let largestRequest: rlim_t = 1 << 20

    /// Raises the soft limit as far as the hard limit allows; answers the soft limit in force.
    static func raise() -> Int {
        var limit = rlimit()
        guard getrlimit(resource, &limit) == 0 else { return Int.max }
        let target = min(limit.rlim_max, largestRequest)
        if limit.rlim_cur < target {
            var raised = limit
            raised.rlim_cur = target
            if setrlimit(resource, &raised) == 0 { limit = raised }
        }
        return Int(clamping: limit.rlim_cur)  // RLIM_INFINITY is the largest rlim_t
    }

    /// What to tell the operator when `limit` open files are too few for `concurrency` requests.
    static func warning(concurrency: Int, limit: Int) -> String? {
        let needed = concurrency + headroom
        guard limit < needed else { return nil }
        return "the open-file limit is \(limit) but \(concurrency) deliveries in flight (HOOKLINE_CONCURRENCY) need about \(needed): "
            + "raise the hard limit (ulimit -Hn, LimitNOFILE=) or lower the concurrency, or requests will fail to connect"
    }

    #if canImport(Glibc)
    private static let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
    #else
    private static let resource = RLIMIT_NOFILE
    #endif
}
