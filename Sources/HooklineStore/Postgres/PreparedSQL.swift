import Logging
import PostgresNIO
import Synchronization

/// A statement of the hot path (every event runs it), which PostgreSQL parses and plans once per
/// connection and then runs by name: a statement sent as text is parsed, analysed and planned
/// each time, about a quarter of the server's CPU under load (perf, 2026-12-03). Its text takes
/// `$1`, `$2`… in the order of the values given to `rows(_:binding:)`.
protocol PreparedSQL {
    static var sql: String { get }
}

/// A value bound to a prepared statement's parameter; nil binds NULL.
protocol PostgresBindable {
    func bind(into bindings: inout PostgresBindings)
}

extension String: PostgresBindable {
    func bind(into bindings: inout PostgresBindings) { bindings.append(self) }
}

extension Int64: PostgresBindable {
    func bind(into bindings: inout PostgresBindings) { bindings.append(self) }
}

extension Int: PostgresBindable {
    func bind(into bindings: inout PostgresBindings) { bindings.append(self) }
}

extension Bool: PostgresBindable {
    func bind(into bindings: inout PostgresBindings) { bindings.append(self) }
}

/// An element of an array parameter, in PostgresNIO's binary encoding; nil is NULL, which
/// PostgresNIO's own arrays cannot hold. A batch binds one array per column (`unnest`), and so
/// PostgreSQL reads its rows without parsing them out of a document.
protocol PostgresArrayElement {
    static var elementType: PostgresDataType { get }
    var element: PostgresData? { get }
}

extension PostgresArrayElement where Self: PostgresEncodable {
    var element: PostgresData? {
        var buffer = ByteBuffer()
        // The types below encode without throwing.
        try? encode(into: &buffer, context: .default)
        return PostgresData(type: Self.elementType, value: buffer)
    }
}

extension String: PostgresArrayElement {
    static var elementType: PostgresDataType { .text }
}

extension Int64: PostgresArrayElement {
    static var elementType: PostgresDataType { .int8 }
}

extension Bool: PostgresArrayElement {
    static var elementType: PostgresDataType { .bool }
}

extension ByteBuffer: PostgresArrayElement {
    static var elementType: PostgresDataType { .bytea }
}

extension Optional: PostgresArrayElement where Wrapped: PostgresArrayElement {
    static var elementType: PostgresDataType { Wrapped.elementType }
    var element: PostgresData? { self?.element }
}

extension Array: PostgresBindable where Element: PostgresArrayElement {
    func bind(into bindings: inout PostgresBindings) {
        bindings.append(PostgresData(array: map(\.element), elementType: Element.elementType))
    }
}

extension Optional: PostgresBindable where Wrapped: PostgresBindable {
    func bind(into bindings: inout PostgresBindings) {
        if let self { self.bind(into: &bindings) } else { bindings.appendNull() }
    }
}

/// Each `PreparedSQL` type's statement name, made once.
private let preparedStatementNames = Mutex<[ObjectIdentifier: String]>([:])

/// PostgresNIO's form of a prepared statement, named after the `PreparedSQL` it runs.
private struct PreparedStatement<Text: PreparedSQL>: PostgresPreparedStatement {
    typealias Row = PostgresRandomAccessRow

    /// PostgresNIO asks for the name on every execution; `String(reflecting:)` demangles the type
    /// each time, 1.5 % of the server's CPU at a steady 100 events/s (perf, 2026-12-04).
    static var name: String {
        preparedStatementNames.withLock { names in
            if let name = names[ObjectIdentifier(Text.self)] { return name }
            let name = String(reflecting: Text.self)
            names[ObjectIdentifier(Text.self)] = name
            return name
        }
    }
    static var sql: String { Text.sql }

    let bindings: PostgresBindings

    func makeBindings() throws -> PostgresBindings { bindings }
    func decodeRow(_ row: PostgresRow) throws -> PostgresRandomAccessRow { row.makeRandomAccess() }
}

extension PostgresConnection {
    /// The rows of a prepared statement, read whole.
    func rows<Text: PreparedSQL, each Value: PostgresBindable>(
        _ text: Text.Type, binding values: repeat each Value, logger: Logger
    ) async throws -> [PostgresRandomAccessRow] {
        var bindings = PostgresBindings()
        repeat (each values).bind(into: &bindings)
        PostgresStatements.sent.add(1, ordering: .relaxed)
        var rows: [PostgresRandomAccessRow] = []
        for try await row in try await execute(PreparedStatement<Text>(bindings: bindings), logger: logger) { rows.append(row) }
        return rows
    }

    /// Runs a prepared statement whose rows (if any) are not needed.
    func run<Text: PreparedSQL, each Value: PostgresBindable>(
        _ text: Text.Type, binding values: repeat each Value, logger: Logger
    ) async throws {
        _ = try await rows(text, binding: repeat each values, logger: logger)
    }
}
