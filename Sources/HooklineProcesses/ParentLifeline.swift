import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A child started with `endsWithParent` ends when the process that started it ends, however that
/// one ends (returning, a crash, SIGKILL, SIGPIPE): its standard input is a pipe whose only
/// writing end the parent holds, so reading to the end of it means the parent is gone. A `defer`
/// in the parent stops a child only while the parent runs its code to the end.
public enum ParentLifeline {
    static let variable = "HOOKLINE_ENDS_WITH_PARENT"

    /// How long a child has, once its parent is gone, to stop as SIGTERM asks before SIGKILL.
    static let graceSeconds: UInt32 = 10

    /// The environment of a child: marked to end with its parent or not, whatever this process's was.
    static func environment(_ environment: [String: String], endsWithParent: Bool) -> [String: String] {
        var environment = environment
        environment[variable] = endsWithParent ? "1" : nil
        return environment
    }

    /// Watches standard input when this process was started to end with its parent: SIGTERM to
    /// itself (a server stops gracefully) once the input ends, SIGKILL if it has not ended by then.
    public static func holdIfAsked(environment: [String: String] = ProcessInfo.processInfo.environment) {
        guard environment[variable] == "1" else { return }
        Thread.detachNewThread {
            var buffer = [UInt8](repeating: 0, count: 256)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
                if count < 0, errno == EINTR { continue }
                if count <= 0 { break }
            }
            kill(getpid(), SIGTERM)
            sleep(graceSeconds)
            kill(getpid(), SIGKILL)
        }
    }
}
