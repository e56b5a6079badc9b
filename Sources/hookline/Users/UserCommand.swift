import ArgumentParser
import Foundation
import HooklineCore
import HooklineServer
import HooklineStore

struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "People who sign in to the web UI.", subcommands: [CreateUser.self, ListUsers.self])
}

struct CreateUser: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Add a user to an account. The password is read from standard input (one line), so it stays out of the process list.")

    @OptionGroup var database: DatabaseOptions
    @Option(help: "The account's id (acc_…).") var account: String
    @Option(help: "The email the user signs in with.") var email: String
    @Option(help: "admin (also manages users) or member.") var role = "member"

    func run() async throws {
        let store = try database.openStore()
        try await store.migrate()
        guard try await store.account(id: account) != nil else {
            throw ValidationError("--account: no account \(account) in \(database.displayName)")
        }
        guard let password = readLine(strippingNewline: true) else { throw ValidationError("give the password on standard input") }
        do {
            let user = try await UserDirectory(store: store).create(accountID: account, email: email, password: password, role: role)
            print("User \(user.email) (\(user.role.rawValue)) added to \(account) as \(user.id).")
        } catch let error as FieldError {
            throw ValidationError("\(error.field == "password" ? "the password (standard input)" : "--" + error.field): \(error.message)")
        } catch StoreError.conflict(let message) {
            throw ValidationError("--email: \(message)")
        }
    }
}

struct ListUsers: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "The users of an account.")

    @OptionGroup var database: DatabaseOptions
    @Option(help: "The account's id (acc_…).") var account: String

    func run() async throws {
        for user in try await database.openStore().users(accountID: account) {
            print("\(user.id)  \(user.role.rawValue.padding(toLength: 6, withPad: " ", startingAt: 0))  \(user.email)")
        }
    }
}
