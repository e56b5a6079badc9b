import Foundation
import GRDB

/// A fresh SQLite file's path in the temporary directory.
func temporaryDatabasePath(_ name: String) -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString).sqlite").path
}

/// A pool on a fresh file holding one table `t` with these columns.
func temporaryPool(_ name: String, columns: String) async throws -> (path: String, pool: DatabasePool) {
    let path = temporaryDatabasePath(name)
    let pool = try DatabasePool(path: path)
    try await pool.write { db in try db.execute(sql: "CREATE TABLE t (\(columns))") }
    return (path, pool)
}
