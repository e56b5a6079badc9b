import Foundation

/// A fresh SQLite file's path in the temporary directory.
func temporaryDatabasePath(_ name: String) -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString).sqlite").path
}
