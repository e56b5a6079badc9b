import Foundation
import GRDB
import HooklineTestSupport

/// A fresh SQLite file's path in the test process's folder.
func temporaryDatabasePath(_ name: String) -> String {
    TestScratch.file(name) + ".sqlite"
}

/// A pool on a fresh file holding one table `t` with these columns.
func temporaryPool(_ name: String, columns: String) async throws -> (path: String, pool: DatabasePool) {
    let path = temporaryDatabasePath(name)
    let pool = try DatabasePool(path: path)
    try await pool.write { db in try db.execute(sql: "CREATE TABLE t (\(columns))") }
    return (path, pool)
}
