import Foundation

/// Wall-clock time in nanoseconds since 1970: the load generator stamps events with it and the
/// receiver, on the same machine, measures latency against it.
func wallNanos() -> Int64 {
    var spec = timespec()
    clock_gettime(CLOCK_REALTIME, &spec)
    return Int64(spec.tv_sec) * 1_000_000_000 + Int64(spec.tv_nsec)
}
