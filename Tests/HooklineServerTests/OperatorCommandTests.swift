import Foundation
import HooklineProcesses
import HooklineCore
import Testing

/// `hookline account` and `hookline user` as an operator runs them, on the configured database.
@Suite struct OperatorCommandTests {
    /// Runs the executable to its end with `input` on standard input; answers its status and output.
    static func run(_ arguments: [String], input: String = "") async throws -> (status: Int32, output: String) {
        let process = try ChildProcess(executable: ServeCommandTests.executable.path, arguments: arguments, environment: ProcessInfo.processInfo.environment)
        process.write(input)
        process.closeInput()
        return await process.finish()
    }

    @Test func anAccountAndAUserMadeOnTheCommandLineWorkInTheAPIAndTheUI() async throws {
        let database = try Hookline.temporaryDatabase()
        let created = try await Self.run(["account", "create", "Acme Motors", "--db", database])
        #expect(created.status == 0)
        let key = try #require(created.output.components(separatedBy: "API key (shown once; only its digest is stored): ").last?.prefix { !$0.isNewline })
        let listed = try await Self.run(["account", "list", "--db", database])
        let account = try #require(listed.output.split(separator: " ").first.map(String.init))
        #expect(listed.output.contains("Acme Motors") && !listed.output.contains(String(key)))
        let empty = try await Self.run(["account", "create", " ", "--db", database])
        #expect(empty.status != 0 && empty.output.contains("NAME: must be a non-empty string"))

        let short = try await Self.run(["user", "create", "--account", account, "--email", "ann@example.com", "--db", database], input: "short\n")
        #expect(short.status != 0 && short.output.contains("the password (standard input): must be 10 to 72 characters long"))
        let unknown = try await Self.run(["user", "create", "--account", "acc_nope", "--email", "ann@example.com", "--db", database], input: "correct horse\n")
        #expect(unknown.status != 0 && unknown.output.contains("--account: no account acc_nope"))
        let user = try await Self.run(["user", "create", "--account", account, "--email", "ann@example.com", "--role", "admin", "--db", database], input: "correct horse\n")
        #expect(user.status == 0, "\(user.output)")
        #expect(try await Self.run(["user", "list", "--account", account, "--db", database]).output.contains("admin   ann@example.com"))

        try await Hookline.run(database: database) { hookline in
            #expect(try await hookline.call(.get, "/v1/webhooks", key: String(key)).status == .ok)
            let browser = Browser(hookline)
            let signedIn = try await browser.signIn("ann@example.com", "correct horse")
            #expect(signedIn.status == .seeOther)
            #expect(try await browser.request(.get, "/users").status == .ok, "an admin")
        }
    }
}

@Suite struct DemoCommandTests {
    @Test func theDemoPlaysCallsToEveryPresetAndSourceThenRemovesWhatItMade() async throws {
        let demo = try await OperatorCommandTests.run(["demo", "--port", "0", "--seconds", "3", "--exit-when-done"])
        #expect(demo.status == 0, "\(demo.output.suffix(2000))")
        for path in ["/roistat ", "/roistat-crm ", "/envybox ", "/dealer-xml ", "/recordings ", "/sales "] {
            #expect(demo.output.contains("CRM ← ") && demo.output.contains(path), "nothing delivered to \(path)")
        }
        #expect(demo.output.contains("Played 3 calls, 3 Roistat webhooks, 2 Envybox forms and 1 JSON payloads of another tracker; 3 recordings arrived after the hang-up and 1 sales were recorded"), "\(demo.output.suffix(1000))")
        #expect(demo.output.contains("sign in as demo@example.com"))
        let database = try #require(demo.output.components(separatedBy: "database: ").dropFirst().first?.components(separatedBy: " (removed on exit)").first)
        #expect(!FileManager.default.fileExists(atPath: database), "the demo's files are removed")
    }
}
