import ArgumentParser
import HooklineStore

/// Vacuums and analyzes the tables of one PostgreSQL schema and makes a checkpoint, as
/// `hookline bench` does after each of its runs, so that `scripts/profile` records a burst on
/// tables in the state the bench's measured runs meet them.
struct BenchUpkeep: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-upkeep", abstract: "Vacuum, analyze and checkpoint a PostgreSQL schema as hookline bench does after each run (used by scripts/profile).",
        shouldDisplay: false)

    @OptionGroup var schema: BenchSchema

    func run() async throws {
        try await Bench.upkeep(try PostgresStore(location: try schema.location(), maximumConnections: 1))
    }
}

/// Drops a schema `scripts/profile` made, as `hookline bench` drops its own.
struct BenchDropSchema: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-drop-schema", abstract: "Drop the PostgreSQL schema of a profile run (used by scripts/profile).", shouldDisplay: false)

    @OptionGroup var schema: BenchSchema

    func run() async throws {
        await Bench.dropSchema(try schema.location())
    }
}

/// The schema both commands work on.
struct BenchSchema: ParsableArguments {
    @Option(name: .customLong("db"), help: "The PostgreSQL URL with ?schema= naming the schema.") var database: String

    func validate() throws { _ = try location() }

    /// The URL read, or a message naming the flag.
    func location() throws -> PostgresLocation {
        let location: PostgresLocation
        do { location = try PostgresLocation(url: database) } catch { throw ValidationError("--db: \(error)") }
        guard location.schema != nil else { throw ValidationError("--db: name the schema with ?schema=") }
        return location
    }
}
