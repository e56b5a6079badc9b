import Foundation
@testable import HooklineStore
import HooklineTestSupport
import NIOCore
import PostgresNIO
import Testing

/// A batch's columns bound as arrays (`PostgresArrayElement`), read back by the server with
/// `unnest`: NULLs where PostgresNIO's own arrays cannot hold them, text PostgreSQL must keep byte
/// for byte, the extremes of each type, and no rows at all. The statements are named as the
/// store's are, by type, here with names longer than PostgreSQL keeps.
@Suite struct PostgresArrayParameterTests {
    private enum Unnested: PreparedSQL {
        static let sql = """
            SELECT t, i, b, p, n FROM unnest($1::text[], $2::int8[], $3::bool[], $4::bytea[]) WITH ORDINALITY AS a(t, i, b, p, n) ORDER BY n
            """
    }

    private enum Shape: PreparedSQL {
        static let sql = "SELECT cardinality($1::text[]) AS count, array_ndims($1::text[]) AS dimensions, array_lower($1::text[], 1) AS lower"
    }

    @Test func everyColumnComesBackAsBoundWithItsNullsInPlace() async throws {
        let store = try PostgresStore(location: try await TestScratch.postgresLocation(), maximumConnections: 1)
        let texts: [String?] = ["", nil, "e\u{301}\u{301}\u{301} Zürich 🚗", String(repeating: "ж", count: 100_000), "tab\tline\nend"]
        let integers: [Int64?] = [Int64.min, Int64.max, nil, 0, -1]
        let flags: [Bool?] = [true, false, nil, true, false]
        let payloads: [ByteBuffer?] = [ByteBuffer(bytes: [0, 1, 0, 255]), ByteBuffer(), nil, ByteBuffer(string: "{\"a\":1}"), ByteBuffer(bytes: Array(repeating: 7, count: 70_000))]
        let rows = try await store.withConnection { connection in
            try await connection.rows(Unnested.self, binding: texts, integers, flags, payloads, logger: store.logger)
        }
        #expect(rows.count == texts.count)
        for (index, row) in rows.enumerated() {
            #expect(try row.column("n", as: Int64.self) == Int64(index + 1))
            #expect(try row.column("t", as: String?.self) == texts[index])
            #expect(try row.column("i", as: Int64?.self) == integers[index])
            #expect(try row.column("b", as: Bool?.self) == flags[index])
            #expect(try row.column("p", as: ByteBuffer?.self) == payloads[index])
        }
    }

    @Test func anEmptyColumnIsAnArrayOfNoRows() async throws {
        let store = try PostgresStore(location: try await TestScratch.postgresLocation(), maximumConnections: 1)
        let (empty, one) = try await store.withConnection { connection in
            (
                try await connection.rows(Shape.self, binding: [String](), logger: store.logger).first,
                try await connection.rows(Shape.self, binding: ["a"], logger: store.logger).first
            )
        }
        #expect(try empty?.column("count", as: Int32.self) == 0)
        #expect(try empty?.column("dimensions", as: Int32?.self) == nil)
        #expect(try one?.column("count", as: Int32.self) == 1)
        #expect(try one?.column("dimensions", as: Int32?.self) == 1)
        #expect(try one?.column("lower", as: Int32?.self) == 1)
        // On the connection that prepared `Shape`: the two types' full names agree in their first
        // 63 bytes, all PostgreSQL keeps of a statement's name.
        let none = try await store.withConnection { connection in
            try await connection.rows(Unnested.self, binding: [String](), [Int64](), [Bool](), [ByteBuffer](), logger: store.logger)
        }
        #expect(none.isEmpty)
    }
}
