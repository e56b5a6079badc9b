/// A command that cannot go on once started (a database out of reach, a child that did not
/// listen, an API that refused), said in a sentence: ArgumentParser prints it and exits 1.
/// Input the command was given wrongly is a `ValidationError` instead (exit 64, with the usage).
struct CommandFailure: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) { self.description = description }
}
