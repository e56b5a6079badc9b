import ArgumentParser
import Foundation
import HooklineCore
import HooklineServer
import HooklineStore

struct AccountCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "account", abstract: "Accounts, without curl: the first steps of an operator.", subcommands: [CreateAccount.self, ListAccounts.self])
}

struct CreateAccount: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "create", abstract: "Create an account and print its API key, once.")

    @OptionGroup var database: DatabaseOptions
    @Argument(help: "The account's name.") var name: String

    func run() async throws {
        let store = try database.openStore()
        try await store.migrate()
        do {
            let (account, key) = try await AccountDirectory(store: store).create(name: name)
            print("Account \(account.name) is \(account.id).")
            print("API key (shown once; only its digest is stored): \(key)")
        } catch let error as FieldError {
            throw ValidationError("NAME: \(error.message)")
        }
    }
}

struct ListAccounts: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "The accounts of the database, oldest first.")

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let store = try database.openStore()
        try await store.migrate()
        for account in try await store.accounts().sorted(by: { $0.createdAt < $1.createdAt }) {
            print("\(account.id)  \(account.createdAt.iso8601)  \(account.name)")
        }
    }
}
