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
    static var arrayType: PostgresDataType { get }
    /// Writes its length, then itself; a NULL is the length -1 alone.
    func encodeElement(into buffer: inout ByteBuffer)
}

extension PostgresArrayElement where Self: PostgresNonThrowingEncodable {
    static var elementType: PostgresDataType { psqlType }

    func encodeElement(into buffer: inout ByteBuffer) {
        let lengthAt = buffer.writerIndex
        buffer.writeInteger(0, as: Int32.self)
        encode(into: &buffer, context: .default)
        buffer.setInteger(Int32(buffer.writerIndex - lengthAt - 4), at: lengthAt)
    }
}

extension String: PostgresArrayElement {
    static var arrayType: PostgresDataType { .textArray }
}

extension Int64: PostgresArrayElement {
    static var arrayType: PostgresDataType { .int8Array }
}

extension Bool: PostgresArrayElement {
    static var arrayType: PostgresDataType { .boolArray }
}

extension ByteBuffer: PostgresArrayElement {
    static var arrayType: PostgresDataType { .byteaArray }
}

extension Optional: PostgresArrayElement where Wrapped: PostgresArrayElement {
    static var elementType: PostgresDataType { Wrapped.elementType }
    static var arrayType: PostgresDataType { Wrapped.arrayType }

    func encodeElement(into buffer: inout ByteBuffer) {
        if let self { self.encodeElement(into: &buffer) } else { buffer.writeInteger(-1, as: Int32.self) }
    }
}

/// A one-dimensional array parameter, its elements written straight into the statement's
/// bindings: a record's attempts bind about a thousand elements, none with a buffer of its own.
private struct ArrayParameter<Element: PostgresArrayElement>: PostgresNonThrowingEncodable {
    static var psqlType: PostgresDataType { Element.arrayType }
    static var psqlFormat: PostgresFormat { .binary }

    let elements: [Element]

    func encode<JSONEncoder: PostgresJSONEncoder>(into buffer: inout ByteBuffer, context: PostgresEncodingContext<JSONEncoder>) {
        buffer.writeInteger(elements.isEmpty ? 0 : 1, as: Int32.self)
        // Whether it holds a NULL: PostgreSQL finds out for itself.
        buffer.writeInteger(0, as: Int32.self)
        buffer.writeInteger(Element.elementType.rawValue)
        guard !elements.isEmpty else { return }
        buffer.writeInteger(Int32(elements.count))
        // The lower bound: arrays count from 1.
        buffer.writeInteger(1, as: Int32.self)
        for element in elements { element.encodeElement(into: &buffer) }
    }
}

extension Array: PostgresBindable where Element: PostgresArrayElement {
    func bind(into bindings: inout PostgresBindings) {
        bindings.append(ArrayParameter(elements: self))
    }
}

extension PostgresBindings {
    /// Binds `values` in their order, the next parameters (`$n`, `$n+1`…) of a statement.
    mutating func bind<each Value: PostgresBindable>(_ values: repeat each Value) {
        repeat (each values).bind(into: &self)
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

    /// PostgreSQL keeps 63 bytes of a statement's name, so the type's full name (module and
    /// enclosing types first) could cut two statements to one; a number of this process's own
    /// makes each unique, and the type's short name says which it is. Made once: PostgresNIO asks
    /// on every execution, and making it each time cost 1.5 % of the server's CPU at a steady
    /// 100 events/s (perf, 2026-12-04).
    static var name: String {
        preparedStatementNames.withLock { names in
            if let name = names[ObjectIdentifier(Text.self)] { return name }
            let name = String("s\(names.count + 1)_\(String(describing: Text.self))".prefix(63))
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
        bindings.bind(repeat each values)
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
