import ArgumentParser
import Foundation
import HooklineCore
import HooklineProcesses

/// Written at once, unbuffered: progress shows when the output goes to a file.
func say(_ text: String) {
    FileHandle.standardOutput.write(Data((text + "\n").utf8))
}

/// A child process whose output is collected, which ends when this process does however it ends
/// (`ParentLifeline`), started with `posix_spawn` (`ChildProcess`):
/// Foundation's `Process` crashed the bench's parent inside libdispatch while starting children.
final class Child: Sendable {
    let process: ChildProcess
    /// Its command (`serve`, `bench-receiver`), for messages.
    let name: String

    init(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws {
        name = arguments.first ?? executable
        process = try ChildProcess(
            executable: executable, arguments: arguments, environment: ProcessInfo.processInfo.environment.merging(environment) { $1 }, endsWithParent: true)
    }

    var text: String { process.text }

    /// Runs a child to its end and reads the JSON line it printed last.
    static func runToEnd(_ executable: String, _ arguments: [String]) async throws -> JSONValue {
        let child = try Child(executable, arguments)
        while child.process.isRunning || !child.process.outputEnded { try await Task.sleep(for: .milliseconds(20)) }
        guard let line = child.text.split(separator: "\n").last(where: { $0.hasPrefix("{") }), let value = try? JSONParser.parse(String(line)) else {
            throw CommandFailure("\(arguments.first ?? "") printed no result: \(child.text)")
        }
        return value
    }

    /// How long a child may take to start listening: a debug build beside a busy test suite on
    /// two cores took over 10 s; the wait ends at once if the child exits.
    static let startLimit: Duration = .seconds(90)

    func port(after marker: String) async throws -> Int {
        let port = try await waitUntilListening {
            let text = self.text
            return text.range(of: marker).flatMap { Int(text[$0.upperBound...].prefix { $0.isNumber }) }
        }
        guard let port else { throw CommandFailure("no port from `hookline \(name)`\(endedBeforeListening): \(text)") }
        return port
    }

    /// The TCP port this process listens on, from /proc.
    func listeningPort() async throws -> Int {
        let port = try await waitUntilListening { ProcessTable.listeningPorts(of: self.process.processIdentifier).first }
        guard let port else { throw CommandFailure("`hookline \(name)` did not start listening\(endedBeforeListening): \(text)") }
        return port
    }

    /// What `probe` finds once it finds a port, looking until `startLimit`; nil at once if the child ends.
    private func waitUntilListening(_ probe: () -> Int?) async throws -> Int? {
        let deadline = ContinuousClock.now + Self.startLimit
        while ContinuousClock.now < deadline {
            if let port = probe() { return port }
            guard process.isRunning else { return nil }
            try await Task.sleep(for: .milliseconds(25))
        }
        return nil
    }

    /// How it ended, for messages: "exited with status 1", "was killed by signal 9".
    var ending: String {
        "\(process.terminationReason == .exit ? "exited with status" : "was killed by signal") \(process.terminationStatus)"
    }

    /// Fails, saying which of `children` ended, how, and what it printed last, once one has:
    /// `context` says what that cut short.
    static func failIfOneEnded(_ children: [Child], context: String) throws {
        guard let ended = children.first(where: { !$0.process.isRunning }) else { return }
        throw CommandFailure("\(context): `hookline \(ended.name)` \(ended.ending); it printed last: \(ended.text.suffix(2000))")
    }

    private var endedBeforeListening: String { process.isRunning ? "" : "; it \(ending) before it listened" }

    /// CPU time (user and system) the process has used so far, in seconds.
    func cpuSeconds() -> Double { ProcessTable.cpuSeconds(of: process.processIdentifier) }

    /// The most resident memory the process has held, in KiB.
    func peakRSS() -> Int { ProcessTable.peakResidentKiB(of: process.processIdentifier) }

    func terminate() async throws {
        process.terminate()
        while process.isRunning { try await Task.sleep(for: .milliseconds(20)) }
    }

    /// SIGTERM, then SIGKILL after two seconds: the receiver still holds the requests it never
    /// answers (the isolation run), so its graceful shutdown would wait for ever.
    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        let deadline = Date().addingTimeInterval(2)
        while process.isRunning, Date() < deadline { usleep(20_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}
