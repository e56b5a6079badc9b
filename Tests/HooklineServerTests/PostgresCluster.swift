import Foundation
import HooklineProcesses
import HooklineTestSupport
import Testing

/// A PostgreSQL cluster of a test's own, from `scripts/with-postgres`, for tests that restart the
/// database under Hookline. The script stays in control of the cluster: a line "restart" on its
/// input restarts the server (immediate mode: in-flight transactions are lost, as in a crash), and
/// closing its input stops and removes the cluster.
final class PostgresCluster: Sendable {
    private let process: ChildProcess
    /// The cluster's database, as a URL.
    let url: String

    private static let controlLoop = #"""
        echo "cluster $HOOKLINE_TEST_POSTGRES"
        while read -r line; do
            if [ "$line" = restart ]; then
                ctl=("$HOOKLINE_PG_BIN/pg_ctl" -D "$HOOKLINE_PG_DATA" -l "$(dirname "$HOOKLINE_PG_DATA")/server.log" -m immediate -w -t 60 restart)
                if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "${ctl[@]}" >/dev/null 2>&1; else "${ctl[@]}" >/dev/null 2>&1; fi
                echo "restarted $?"
            fi
        done
        """#

    init() async throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        var environment = ProcessInfo.processInfo.environment
        environment["HOOKLINE_TEST_POSTGRES"] = nil
        process = try ChildProcess(
            executable: "/bin/bash", arguments: [root.appendingPathComponent("scripts/with-postgres").path, "bash", "-c", Self.controlLoop],
            environment: environment)
        let deadline = ContinuousClock.now + .seconds(120)
        var found: String?
        while found == nil, ContinuousClock.now < deadline, process.isRunning {
            found = process.text.split(separator: "\n").first { $0.hasPrefix("cluster ") }.map { String($0.dropFirst("cluster ".count)) }
            if found == nil { try await Task.sleep(for: .milliseconds(100)) }
        }
        guard let found else { throw TestScratch.SetupError("the test's own PostgreSQL cluster did not start: \(process.text)") }
        url = found
    }

    /// Restarts the server in immediate mode, waiting until it accepts connections again.
    func restart() async throws {
        let before = process.text.components(separatedBy: "restarted ").count
        process.write("restart\n")
        let deadline = ContinuousClock.now + .seconds(90)
        while ContinuousClock.now < deadline {
            let text = process.text
            if text.components(separatedBy: "restarted ").count > before {
                guard text.hasSuffix("restarted 0\n") else { throw TestScratch.SetupError("pg_ctl restart failed: \(text)") }
                return
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw TestScratch.SetupError("pg_ctl restart did not finish")
    }

    /// Stops the server and removes its files.
    func stop() async {
        process.closeInput()
        let deadline = ContinuousClock.now + .seconds(60)
        while process.isRunning, ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(100)) }
        if process.isRunning { process.terminate() }
    }
}
