import ArgumentParser
import AsyncHTTPClient
import Foundation
import HooklineCore
import NIOCore

/// `hookline demo`: Hookline on a temporary database beside a local CRM, set up with an account,
/// a location, a campaign, a webhook from each preset and a custom XML template, and sources for
/// Roistat and Envybox; then about 20 seconds of calls. Ctrl-C stops it and removes what it made.
struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Start Hookline on a temporary database with a local CRM, and play 20 seconds of calls, webhooks of Roistat and Envybox among them.")

    @Option(help: "Port of the Hookline server (0: any free port).") var port = 8080
    @Option(help: "Seconds of calls to play; a call begins in each.") var seconds = 20.0
    @Flag(help: "Stop once the calls are played and delivered, instead of waiting for Ctrl-C.") var exitWhenDone = false

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be from 0 to 65535") }
        guard seconds > 0, seconds <= 3600 else { throw ValidationError("--seconds must be more than 0 and at most 3600") }
    }

    func run() async throws {
        // One round per second asked for, however slow the machine: a busy host plays late, never less.
        let rounds = Int(seconds.rounded(.up))
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hookline-demo-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().path
        let receiver = DemoReceiver()
        let (ports, portSink) = AsyncStream.makeStream(of: Int.self)
        let (interrupted, signalSources) = Self.interrupts()
        defer {
            for source in signalSources { source.cancel() }
            try? FileManager.default.removeItem(at: directory)
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await receiver.run { portSink.yield($0) } }
            var iterator = ports.makeAsyncIterator()
            guard let crmPort = await iterator.next() else { throw CommandFailure("the demo CRM did not start") }
            let server = try Child(
                executable, ["serve", "--db", directory.appendingPathComponent("demo.sqlite").path, "--port", "\(port)", "--host", "127.0.0.1", "--log-level", "warning"],
                environment: ["HOOKLINE_ADMIN_KEY": Self.adminKey, "HOOKLINE_ALLOW_PRIVATE_DESTINATIONS": "1"])
            defer { server.stop() }
            let hooklinePort = try await server.listeningPort()
            let hookline = "http://127.0.0.1:\(hooklinePort)"
            let crm = "http://127.0.0.1:\(crmPort)"
            let setup = try await Self.setUp(hookline: hookline, crm: crm)
            say("""
                Hookline demo
                  web UI:   \(hookline)/   sign in as \(setup.email) with password \(setup.password)
                  API key:  \(setup.key)   (curl -H 'Authorization: Bearer \(setup.key)' \(hookline)/v1/deliveries)
                  database: \(directory.path) (removed on exit)
                  CRM:      \(crm) (prints what it gets; answers Roistat's CRM with status ok and an order_id)
                Playing \(rounds) s of calls…
                """)
            let played = try await Self.play(hookline: hookline, setup: setup, rounds: rounds, receiver: receiver)
            try await Self.waitForDeliveries(hookline: hookline, key: setup.key, receiver: receiver)
            say(
                "Played \(played.calls) calls, \(played.roistat) Roistat webhooks, \(played.envybox) Envybox forms and \(played.tracker) JSON payloads of another tracker;"
                    + " \(played.recordings) recordings arrived after the hang-up and \(played.sales) sales were recorded."
                    + " The CRM got: \(receiver.counts.summary).")
            if exitWhenDone {
                group.cancelAll()
                return
            }
            say("Look around at \(hookline)/ ; Ctrl-C stops everything and removes the demo's files.")
            for await _ in interrupted { break }
            say("Stopping…")
            group.cancelAll()
        }
    }

    static let adminKey = "demo-admin-" + UUID().uuidString.prefix(8).lowercased()

    /// Ctrl-C (and SIGTERM) as a stream, so the demo ends by its own `defer`s; the signal
    /// sources must live until then.
    static func interrupts() -> (AsyncStream<Void>, [any DispatchSourceSignal]) {
        let (stream, continuation) = AsyncStream.makeStream(of: Void.self)
        let sources = [SIGINT, SIGTERM].map { number -> any DispatchSourceSignal in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number)
            source.setEventHandler { continuation.yield() }
            source.resume()
            return source
        }
        return (stream, sources)
    }
}
