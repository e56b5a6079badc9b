import GRDB

// The hot paths (ingest, leasing, attempt records) run the same SQL thousands of times a second:
// these run it through GRDB's per-connection statement cache instead of preparing it each time.

extension Database {
    func run(sql: String, arguments: StatementArguments = []) throws {
        try cachedStatement(sql: sql).execute(arguments: arguments)
    }
}

extension Row {
    static func cachedOne(_ db: Database, sql: String, arguments: StatementArguments = []) throws -> Row? {
        try fetchOne(db.cachedStatement(sql: sql), arguments: arguments)
    }

    static func cachedAll(_ db: Database, sql: String, arguments: StatementArguments = []) throws -> [Row] {
        try fetchAll(db.cachedStatement(sql: sql), arguments: arguments)
    }
}

extension Row {
    /// Each row read while the statement steps: a column read by name is then a dictionary
    /// lookup, where on a fetched copy (`cachedAll`, `cachedOne`) it compares every column name,
    /// lowercased, on each read. `transform` must not write to the table it reads.
    static func cachedMap<T>(_ db: Database, sql: String, arguments: StatementArguments = [], _ transform: (Row) throws -> T) throws -> [T] {
        let rows = try fetchCursor(db.cachedStatement(sql: sql), arguments: arguments)
        var results: [T] = []
        while let row = try rows.next() { results.append(try transform(row)) }
        return results
    }

    /// The first row, read as `cachedMap` reads them.
    static func cachedFirst<T>(_ db: Database, sql: String, arguments: StatementArguments = [], _ transform: (Row) throws -> T) throws -> T? {
        let rows = try fetchCursor(db.cachedStatement(sql: sql), arguments: arguments)
        return try rows.next().map(transform)
    }
}

extension DatabaseValueConvertible where Self: StatementColumnConvertible {
    static func cachedOne(_ db: Database, sql: String, arguments: StatementArguments = []) throws -> Self? {
        try fetchOne(db.cachedStatement(sql: sql), arguments: arguments)
    }

    static func cachedAll(_ db: Database, sql: String, arguments: StatementArguments = []) throws -> [Self] {
        try fetchAll(db.cachedStatement(sql: sql), arguments: arguments)
    }
}
